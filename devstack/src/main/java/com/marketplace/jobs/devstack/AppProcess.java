package com.marketplace.jobs.devstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One of our Spring Boot apps (api or worker) run from its executable jar as a child process, as in
 * production: configured through environment variables, logging to a file, stoppable cleanly
 * (SIGTERM) or killed outright (SIGKILL) to test crash recovery.
 */
public final class AppProcess implements AutoCloseable {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final String name;
  private final Path jar;
  private final int port;
  private final Map<String, String> environment;
  private final List<String> jvmOptions;
  private final Path logFile;
  private Process process;

  public AppProcess(
      String name,
      Path jar,
      int port,
      Map<String, String> environment,
      List<String> jvmOptions,
      Path logFile) {
    this.name = name;
    this.jar = jar;
    this.port = port;
    this.environment = environment;
    this.jvmOptions = jvmOptions;
    this.logFile = logFile;
  }

  /** The executable jar a module builds: {@code <module>/target/<module>-<version>-exec.jar}. */
  public static Path executableJar(Path projectRoot, String module) {
    Path target = projectRoot.resolve(module).resolve("target");
    try (var files = Files.list(target)) {
      return files
          .filter(path -> path.getFileName().toString().matches(module + "-.*-exec\\.jar"))
          .findFirst()
          .orElseThrow(() -> missingJar(target));
    } catch (IOException e) {
      throw missingJar(target);
    }
  }

  private static IllegalStateException missingJar(Path target) {
    return new IllegalStateException(
        "No executable jar in " + target + ": build first with 'mvn -DskipTests package'");
  }

  public AppProcess start() {
    if (process != null && process.isAlive()) {
      return this;
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(jar.toString());
    process = ChildProcesses.start(name, command, environment, logFile);
    return this;
  }

  /** Waits until {@code /actuator/health/liveness} answers 200. */
  public AppProcess awaitHealthy(Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (process == null || !process.isAlive()) {
        throw new IllegalStateException(name + " exited during start-up; see " + logFile);
      }
      if (healthStatus("/actuator/health/liveness") == 200) {
        return this;
      }
      Ports.sleep(Duration.ofMillis(250));
    }
    throw new IllegalStateException(
        name + " was not healthy within " + timeout + "; see " + logFile);
  }

  /** The HTTP status of a GET on this app, or -1 when it does not answer. */
  public int healthStatus(String path) {
    try {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(5)).build();
      return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** SIGKILL: no shutdown hooks, no graceful worker shutdown; as a crash or an OOM kill. */
  public void kill() {
    if (process != null) {
      ChildProcesses.kill(process);
      process = null;
    }
  }

  /** SIGTERM, then SIGKILL if it has not exited within 20 seconds. */
  public void stop() {
    if (process != null) {
      ChildProcesses.stop(process, Duration.ofSeconds(20));
      process = null;
    }
  }

  @Override
  public void close() {
    stop();
  }
}
