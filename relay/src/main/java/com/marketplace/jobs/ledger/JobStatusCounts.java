package com.marketplace.jobs.ledger;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The ledger's all-time counts by type and status, kept by the database (V25): triggers on {@code
 * jobs} append every statement's net change to {@code job_status_count_changes}, and {@link
 * #compact} folds those into {@code job_status_counts}. A read adds both up in one statement, so it
 * is exact at any moment, and it reads a few dozen rows however long the ledger is.
 *
 * <p>As a {@link SmartLifecycle} (the worker's) it compacts every {@link #COMPACT_EVERY_SECONDS}
 * seconds, so a reader never adds up more than a few seconds of changes. Several workers may run
 * it: a pass that finds another one compacting skips.
 */
public class JobStatusCounts implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(JobStatusCounts.class);

  static final long COMPACT_EVERY_SECONDS = 5;

  /** One job type and status with its number of jobs. */
  public record Count(String type, String status, long n) {}

  /** What {@link #all} runs (bin/bench ops times it alone). */
  public static final String ALL_SQL =
      """
      SELECT type, status, sum(n) AS n
        FROM (SELECT type, status, n FROM job_status_counts
              UNION ALL
              SELECT type, status, delta FROM job_status_count_changes) counted
       GROUP BY type, status
      HAVING sum(n) <> 0
      """;

  private final JdbcClient jdbc;
  private volatile ScheduledExecutorService timer;

  public JobStatusCounts(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Every job in the ledger, by type and status; pairs with no job are left out. */
  public List<Count> all() {
    return jdbc.sql(ALL_SQL)
        .query(
            (rs, row) -> new Count(rs.getString("type"), rs.getString("status"), rs.getLong("n")))
        .list();
  }

  /**
   * Folds the changes appended so far into the counts, in one statement (so one transaction). The
   * transaction-scoped advisory lock keeps two compactions from folding at once; the one that does
   * not get it changes nothing. Returns the change rows folded.
   */
  public int compact() {
    return jdbc.sql(
            """
            WITH turn AS (SELECT pg_try_advisory_xact_lock(hashtextextended('job_status_counts', 0))
                                 AS mine),
                 moved AS (DELETE FROM job_status_count_changes
                            WHERE (SELECT mine FROM turn)
                        RETURNING type, status, delta),
                 summed AS (SELECT type, status, sum(delta) AS delta, count(*) AS rows
                              FROM moved GROUP BY type, status),
                 folded AS (INSERT INTO job_status_counts AS c (type, status, n)
                            SELECT type, status, delta FROM summed
                            ON CONFLICT (type, status) DO UPDATE SET n = c.n + EXCLUDED.n)
            SELECT coalesce(sum(rows), 0)::int FROM summed
            """)
        .query(Integer.class)
        .single();
  }

  @Override
  public void start() {
    ScheduledExecutorService executor =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "job-status-counts");
              thread.setDaemon(true);
              return thread;
            });
    executor.scheduleWithFixedDelay(
        this::compactQuietly, COMPACT_EVERY_SECONDS, COMPACT_EVERY_SECONDS, TimeUnit.SECONDS);
    timer = executor;
  }

  private void compactQuietly() {
    try {
      compact();
    } catch (RuntimeException e) {
      // A scheduled task that throws is never run again; the readers stay exact meanwhile.
      log.warn("folding the job status count changes failed; trying again shortly", e);
    }
  }

  @Override
  public void stop() {
    ScheduledExecutorService executor = timer;
    if (executor == null) {
      return;
    }
    timer = null;
    executor.shutdownNow();
    try {
      executor.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public boolean isRunning() {
    return timer != null;
  }
}
