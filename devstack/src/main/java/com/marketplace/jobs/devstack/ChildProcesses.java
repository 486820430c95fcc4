package com.marketplace.jobs.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** How the stack starts and stops the programs it runs as child processes, by their own pid. */
final class ChildProcesses {

  private ChildProcesses() {}

  /** Starts {@code command} with its output (and errors) appended to {@code logFile}. */
  static Process start(
      String name, List<String> command, Map<String, String> environment, Path logFile) {
    try {
      Files.createDirectories(logFile.getParent());
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
      builder.environment().putAll(environment);
      return builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + name + " (" + command.get(0) + ")", e);
    }
  }

  /** SIGTERM, as Ctrl-C would; SIGKILL if it has not exited within {@code grace}. */
  static void stop(Process process, Duration grace) {
    process.destroy();
    if (!awaitExit(process, grace)) {
      process.destroyForcibly();
      awaitExit(process, Duration.ofSeconds(10));
    }
  }

  /** SIGKILL: no shutdown hooks, as a crash or an OOM kill. */
  static void kill(Process process) {
    process.destroyForcibly();
    awaitExit(process, Duration.ofSeconds(10));
  }

  private static boolean awaitExit(Process process, Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
