package com.marketplace.jobs.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code temporal server start-dev} from the pinned Temporal CLI (v1.5.1), as a child process: the
 * custom search attributes registered, task-queue priority enabled, SQLite in WAL mode. With a
 * database file, workflows survive a restart; without one the server keeps everything in memory.
 */
public final class TemporalDevServer implements AutoCloseable {

  /**
   * How long Temporal keeps a closed workflow's history: the business rule "temporary workflow
   * state may expire after 24 hours", exactly (Temporal Cloud's minimum is one day; the dev server
   * would accept less). The dev server creates its namespaces with 24 hours, but a database file
   * from an earlier run keeps whatever it was set to, so every start sets it again.
   */
  public static final String NAMESPACE_RETENTION = "24h";

  /** Search attributes the service sets on its workflows (JobSearchAttributes). */
  public static final List<String> SEARCH_ATTRIBUTES =
      List.of("JobType", "JobId", "CompanyId", "TenantId");

  private final Path binary;
  private final int port;
  private final int uiPort;
  private final Path databaseFile;
  private final Path logFile;
  private final String codecEndpoint;
  private Process process;

  public TemporalDevServer(Path binary, int port, int uiPort, Path databaseFile, Path logFile) {
    this(binary, port, uiPort, databaseFile, logFile, null);
  }

  /**
   * @param codecEndpoint where the Web UI has the operator's browser decode payloads (the api's
   *     {@code /codec}), or null for none: payloads are encrypted, so without it the UI shows
   *     ciphertext
   */
  public TemporalDevServer(
      Path binary, int port, int uiPort, Path databaseFile, Path logFile, String codecEndpoint) {
    this.binary = binary;
    this.port = port;
    this.uiPort = uiPort;
    this.databaseFile = databaseFile;
    this.logFile = logFile;
    this.codecEndpoint = codecEndpoint;
  }

  /**
   * The pinned CLI: {@code TEMPORAL_CLI} if set, else what {@code bin/ensure-tools} finds or builds
   * (PATH at the pinned version, or the project's .tools/bin).
   */
  public static Path locateBinary(Path projectRoot) {
    return LocalTools.locate(projectRoot, "TEMPORAL_CLI", "temporal");
  }

  public List<String> command() {
    List<String> command = new ArrayList<>();
    command.addAll(
        List.of(
            binary.toString(),
            "server",
            "start-dev",
            "--ip",
            "127.0.0.1",
            "--port",
            Integer.toString(port),
            "--ui-port",
            Integer.toString(uiPort),
            "--namespace",
            "default",
            "--log-level",
            "warn",
            "--sqlite-pragma",
            "journal_mode=wal",
            "--dynamic-config-value",
            "matching.useNewMatcher=true",
            // Priority is enforced within a task-queue partition; one partition makes the order
            // of tiers hold for the whole queue (a 2-core server gains nothing from more).
            "--dynamic-config-value",
            "matching.numTaskqueueReadPartitions=1",
            "--dynamic-config-value",
            "matching.numTaskqueueWritePartitions=1"));
    for (String attribute : SEARCH_ATTRIBUTES) {
      command.add("--search-attribute");
      command.add(attribute + "=Keyword");
    }
    if (codecEndpoint != null) {
      command.add("--ui-codec-endpoint");
      command.add(codecEndpoint);
    }
    if (databaseFile != null) {
      command.add("--db-filename");
      command.add(databaseFile.toString());
    }
    return command;
  }

  public TemporalDevServer start() {
    if (databaseFile != null) {
      try {
        Files.createDirectories(databaseFile.getParent());
      } catch (IOException e) {
        throw new UncheckedIOException("could not create " + databaseFile.getParent(), e);
      }
    }
    process = ChildProcesses.start("the Temporal dev server", command(), Map.of(), logFile);
    Ports.awaitOpen(port, Duration.ofSeconds(60), "Temporal dev server (log: " + logFile + ")");
    Ports.awaitOpen(uiPort, Duration.ofSeconds(30), "Temporal Web UI (log: " + logFile + ")");
    applyNamespaceRetention();
    return this;
  }

  /**
   * {@code temporal operator namespace update --namespace default --retention 24h}, as in
   * production.
   */
  public List<String> retentionCommand() {
    return List.of(
        binary.toString(),
        "operator",
        "namespace",
        "update",
        "--address",
        target(),
        "--namespace",
        "default",
        "--retention",
        NAMESPACE_RETENTION);
  }

  private void applyNamespaceRetention() {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      Process update =
          ChildProcesses.start(
              "temporal operator namespace update", retentionCommand(), Map.of(), logFile);
      try {
        if (update.waitFor(15, TimeUnit.SECONDS) && update.exitValue() == 0) {
          return;
        }
        update.destroyForcibly();
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "could not set the default namespace's retention to "
                  + NAMESPACE_RETENTION
                  + " (log: "
                  + logFile
                  + ")");
        }
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while setting the namespace retention", e);
      }
    }
  }

  /** The CLI binary this server runs: also the {@code temporal} for operator commands. */
  public Path binary() {
    return binary;
  }

  public String target() {
    return "127.0.0.1:" + port;
  }

  public String uiUrl() {
    return "http://127.0.0.1:" + uiPort;
  }

  /**
   * The origins a browser showing the UI sends: the UI is bound to 127.0.0.1, and people open it as
   * that or as localhost, which are different origins to CORS.
   */
  public static List<String> uiOrigins(int uiPort) {
    return List.of("http://127.0.0.1:" + uiPort, "http://localhost:" + uiPort);
  }

  /** Stops the server the way Ctrl-C would, and waits until its port is free. */
  public void stop() {
    if (process == null) {
      return;
    }
    ChildProcesses.stop(process, Duration.ofSeconds(15));
    process = null;
  }

  @Override
  public void close() {
    stop();
  }
}
