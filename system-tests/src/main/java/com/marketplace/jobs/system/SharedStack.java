package com.marketplace.jobs.system;

import com.marketplace.jobs.devstack.LocalStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * One {@link LocalStack} per test JVM, on free ports, started on first use and stopped when the JVM
 * exits. Its logs stay under {@code system-tests/target/stack-*} for post-mortems.
 */
public final class SharedStack {

  private static LocalStack stack;

  private SharedStack() {}

  public static synchronized LocalStack get() {
    if (stack == null) {
      Path root = projectRoot();
      Path dataDir =
          root.resolve("system-tests/target")
              .resolve(
                  "stack-"
                      + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
      LocalStack started = new LocalStack(LocalStack.Settings.ephemeral(root, dataDir));
      Runtime.getRuntime().addShutdownHook(new Thread(started::close, "test-stack-shutdown"));
      stack = started.start();
    }
    return stack;
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
