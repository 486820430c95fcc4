package com.marketplace.jobs.benchmarks;

import com.marketplace.jobs.devstack.LocalStack;
import com.marketplace.jobs.system.Sql;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Lateness of scheduled starts: a schedule firing every {@link #INTERVAL} ({@value #SCHEDULE_ID},
 * the run-log retention workflow, which finds nothing to delete) on the stack's own worker, {@link
 * #RUNS} runs after {@link #WARM_UP} for warm-up, read from the run log: the worker's first
 * workflow task minus the scheduled time, and Temporal's start of the workflow minus the scheduled
 * time.
 */
final class ScheduleBenchmark {

  static final String SCHEDULE_ID = "bench-lateness";
  static final Duration INTERVAL = Duration.ofSeconds(2);
  static final int WARM_UP = 5;
  static final int RUNS = 100;

  /** The stack's worker keeps this schedule, running (the benchmark stack pauses the others). */
  static final Map<String, String> WORKER_ENVIRONMENT =
      Map.of(
          "JOBS_SCHEDULES_PAUSE_ALL",
          "false",
          "SPRING_APPLICATION_JSON",
          "{\"jobs\":{\"schedules\":{\"tasks\":{\""
              + SCHEDULE_ID
              + "\":{\"workflow-type\":\"ScheduleRunsRetentionWorkflow\",\"interval\":\""
              + INTERVAL.toSeconds()
              + "s\"}}}}}");

  private ScheduleBenchmark() {}

  static void run(LocalStack stack) throws InterruptedException {
    Sql sql = new Sql(stack.database().dataSource());
    long wanted = WARM_UP + RUNS;
    System.out.printf(
        "Schedule %s every %d s: waiting for %d finished runs (%d warm-up), about %d s...%n",
        SCHEDULE_ID, INTERVAL.toSeconds(), wanted, WARM_UP, wanted * INTERVAL.toSeconds());
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    while (finished(sql) < wanted) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("only " + finished(sql) + " runs finished in 10 minutes");
      }
      Thread.sleep(1000);
    }
    List<Long> workerStart = new ArrayList<>();
    List<Long> temporalStart = new ArrayList<>();
    sql.rows(
            """
            SELECT (extract(epoch FROM started_at - scheduled_at) * 1000000)::bigint AS worker,
                   (extract(epoch FROM workflow_started_at - scheduled_at) * 1000000)::bigint
                     AS temporal
              FROM schedule_runs WHERE schedule_id = ? AND outcome = 'COMPLETED'
             ORDER BY scheduled_at OFFSET ? LIMIT ?
            """,
            SCHEDULE_ID,
            WARM_UP,
            RUNS)
        .forEach(
            row -> {
              workerStart.add(((Number) row.get("worker")).longValue());
              temporalStart.add(((Number) row.get("temporal")).longValue());
            });
    long logged =
        sql.count("SELECT count(*) FROM schedule_runs WHERE schedule_id = ?", SCHEDULE_ID);
    System.out.printf("%nLateness of scheduled starts over %d runs:%n", workerStart.size());
    System.out.printf("  worker's first task - scheduled  %s%n", Percentiles.ofMicros(workerStart));
    System.out.printf(
        "  Temporal's start - scheduled     %s%n", Percentiles.ofMicros(temporalStart));
    System.out.printf("  runs in the log (incl. warm-up and still running): %d%n", logged);
  }

  private static long finished(Sql sql) {
    return sql.count(
        "SELECT count(*) FROM schedule_runs WHERE schedule_id = ? AND outcome = 'COMPLETED'",
        SCHEDULE_ID);
  }
}
