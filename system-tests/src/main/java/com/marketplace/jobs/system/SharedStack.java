package com.marketplace.jobs.system;

import com.marketplace.jobs.devstack.LocalStack;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * One {@link LocalStack} per test JVM, on free ports, started on first use and stopped when the JVM
 * exits. Its logs stay under {@code system-tests/target/stack-*} for post-mortems. A start that
 * loses a port to another process between choosing it and binding it is stopped and tried again on
 * other free ports.
 */
public final class SharedStack {

  /** A start that lost a port to another process is tried again on other free ports. */
  private static final int START_ATTEMPTS = 3;

  private static LocalStack stack;

  private SharedStack() {}

  public static synchronized LocalStack get() {
    if (stack == null) {
      Path root = projectRoot();
      String name =
          "stack-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
      RuntimeException clash = null;
      for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
        Path dataDir =
            root.resolve("system-tests/target").resolve(attempt == 1 ? name : name + "-" + attempt);
        LocalStack started = new LocalStack(settings(root, dataDir));
        try {
          stack = started.start();
          Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "test-stack-shutdown"));
          return stack;
        } catch (RuntimeException e) {
          started.close();
          if (!portTaken(e)) {
            throw e;
          }
          // The ports are chosen free before the servers bind them; on a shared machine another
          // process (or a server of this stack choosing its own) may take one in between.
          clash = e;
        }
      }
      throw clash;
    }
    return stack;
  }

  /**
   * Free ports, Temporal's state in a file (as in production, it survives a restart of the server:
   * {@code DurabilityIT} restarts it under a waiting delayed job), and a ledger reconciler that
   * asks Temporal about rows unchanged for 10 s every 5 s (30 s and 30 s in production), so a test
   * sees a terminated workflow's job end within seconds; no job type counts as failing repeatedly
   * (the tests fail jobs on purpose).
   */
  /**
   * A schedule of the stack's worker, every 5 s, paused: AlertsIT points its runs at a task queue
   * no worker polls and unpauses it, to see missed runs alerted.
   */
  public static final String MISSED_RUN_PROBE = "missed-run-probe";

  static LocalStack.Settings settings(Path root, Path dataDir) {
    return LocalStack.Settings.ephemeral(root, dataDir)
        .withPersistentTemporal()
        .withWorkerEnvironment(
            Map.of(
                "JOBS_LEDGER_RECONCILE_INTERVAL",
                "5s",
                "JOBS_LEDGER_RECONCILE_QUIET_TIME",
                "10s",
                // The tests fail notifications on purpose, many within minutes: a "type failing"
                // alert among them would take a failure AlertsIT plans for its own job's alert.
                "JOBS_STUCK_FAILING_TYPE_COUNT",
                "1000",
                // AlertsIT's missed-run probe: one more schedule, paused like the others until
                // the test points its runs at a task queue no worker polls and unpauses it; a run
                // not in the run log counts as missed 2 s after its time.
                "SPRING_APPLICATION_JSON",
                """
                {"jobs": {"schedules": {"tasks": {"%s": {
                  "workflow-type": "ScheduleRunsRetentionWorkflow", "interval": "5s",
                  "overlap": "SKIP"}}}}}
                """
                    .formatted(MISSED_RUN_PROBE),
                "JOBS_ALERTS_MISSED_RUN_GRACE",
                "2s"));
  }

  private static boolean portTaken(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof BindException) {
        return true;
      }
    }
    return false;
  }

  /** The repository root: {@code -Dstack.root} (set by the build), else found from here up. */
  public static Path projectRoot() {
    String configured = System.getProperty("stack.root");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured).toAbsolutePath().normalize();
    }
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("bin/ensure-tools"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("cannot find the project root; set -Dstack.root");
    }
    return dir;
  }
}
