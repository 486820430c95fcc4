package com.marketplace.jobs.devstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * stripe-mock v0.203.0 (Stripe's own mock of its API, built from Stripe's OpenAPI spec) as a child
 * process on a port of our choosing, plain HTTP. It is stateless: every call is validated against
 * the spec and answered with a canned object, so tests assert our own rows and the requests we
 * made, never the status it returns. It accepts any key of the form {@code sk_test_<letters and
 * digits>} (a further underscore makes it answer 401).
 */
public final class StripeMock implements AutoCloseable {

  private final Path binary;
  private final int port;
  private final Path logFile;
  private Process process;

  public StripeMock(Path binary, int port, Path logFile) {
    this.binary = binary;
    this.port = port;
    this.logFile = logFile;
  }

  /**
   * The pinned binary: {@code STRIPE_MOCK} if set, else what {@code bin/ensure-tools stripe-mock}
   * finds or builds.
   */
  public static Path locateBinary(Path projectRoot) {
    return LocalTools.locate(projectRoot, "STRIPE_MOCK", "stripe-mock");
  }

  /**
   * The pinned stripe-mock on a free port, its log under {@code logDir}: for tests, which run from
   * somewhere inside the repository (the root is the nearest directory with bin/ensure-tools).
   */
  public static StripeMock startOnFreePort(Path logDir) {
    Path root = Path.of("").toAbsolutePath();
    while (root != null && !Files.exists(root.resolve("bin/ensure-tools"))) {
      root = root.getParent();
    }
    if (root == null) {
      throw new IllegalStateException("cannot find the repository root (bin/ensure-tools)");
    }
    return new StripeMock(locateBinary(root), Ports.free(), logDir.resolve("stripe-mock.log"))
        .start();
  }

  public List<String> command() {
    // Without -https-addr it also listens for HTTPS on 12112 on every interface: keep that on
    // loopback, on a port the system chooses, so stacks side by side never collide.
    return List.of(
        binary.toString(), "-http-addr", "127.0.0.1:" + port, "-https-addr", "127.0.0.1:");
  }

  public StripeMock start() {
    process = ChildProcesses.start("stripe-mock", command(), Map.of(), logFile);
    Ports.awaitOpen(port, Duration.ofSeconds(30), "stripe-mock (log: " + logFile + ")");
    return this;
  }

  public int port() {
    return port;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  @Override
  public void close() {
    if (process == null) {
      return;
    }
    ChildProcesses.stop(process, Duration.ofSeconds(10));
    process = null;
  }
}
