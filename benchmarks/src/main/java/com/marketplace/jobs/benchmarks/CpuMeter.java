package com.marketplace.jobs.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time used by this benchmark's process tree (the benchmark JVM with the Mailgun sink and load
 * generator, PostgreSQL, the Temporal server, the api and the worker), from /proc, so a figure can
 * say where a job's CPU goes. Linux only; elsewhere it reports nothing.
 */
final class CpuMeter {

  private static final double TICKS_PER_SECOND = 100.0;

  private final String postgresDataDir;
  private final Map<String, Long> start;

  private CpuMeter(String postgresDataDir) {
    this.postgresDataDir = postgresDataDir;
    this.start = snapshot();
  }

  /**
   * @param postgresDataDir the embedded PostgreSQL's data directory: its server process is not a
   *     child of this JVM (pg_ctl detaches it), so it is found by this path on its command line
   */
  static CpuMeter start(Path postgresDataDir) {
    return new CpuMeter(postgresDataDir.toString());
  }

  /** CPU milliseconds per item, by process kind, since start. */
  Map<String, Double> millisPer(long items) {
    Map<String, Long> end = snapshot();
    Map<String, Double> result = new TreeMap<>();
    end.forEach(
        (kind, ticks) ->
            result.put(
                kind, (ticks - start.getOrDefault(kind, 0L)) / TICKS_PER_SECOND * 1000.0 / items));
    return result;
  }

  private Map<String, Long> snapshot() {
    Map<String, Long> ticks = new TreeMap<>();
    ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().orElse("").contains(postgresDataDir))
        .forEach(
            postmaster -> {
              add(ticks, "postgresql", postmaster.pid());
              postmaster.descendants().forEach(child -> add(ticks, "postgresql", child.pid()));
            });
    ProcessHandle self = ProcessHandle.current();
    add(ticks, "benchmark JVM (load, Mailgun sink)", self.pid());
    self.descendants()
        .forEach(
            process -> {
              String command = process.info().commandLine().orElse("");
              add(ticks, kindOf(command), process.pid());
            });
    return ticks;
  }

  private static String kindOf(String command) {
    if (command.contains("worker-")) {
      return "worker";
    }
    if (command.contains("api-")) {
      return "api";
    }
    if (command.contains("start-dev")) {
      return "temporal server";
    }
    return "other";
  }

  private static void add(Map<String, Long> ticks, String kind, long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // After the command: state is field 3, utime 14 and stime 15 (1-based, man proc).
      long used = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
      ticks.merge(kind, used, Long::sum);
    } catch (IOException | RuntimeException e) {
      // The process ended between listing and reading, or this is not Linux.
    }
  }
}
