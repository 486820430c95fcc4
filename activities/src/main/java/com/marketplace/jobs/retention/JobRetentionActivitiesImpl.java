package com.marketplace.jobs.retention;

import io.temporal.activity.Activity;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Roll-ups and deletions in set-based SQL. Days are UTC days of acceptance ({@code created_at}).
 *
 * <p>Records deleted with their job (they belong to it alone): {@code email_deliveries}, {@code
 * email_sends} (keyed by the job id), {@code moderation_changes} and {@code moderation_fences},
 * {@code search_reindex_batches}, {@code payment_alerts}, the Mailgun events about the job's single
 * email ({@code mailgun_events} with its job id and no touchpoint), {@code job_retries}. Kept:
 * {@code payments}, {@code webhook_events} (a replayed event must still be recognised), {@code
 * marketplace_listing_removals} and {@code marketplace_bookings} (business records of their own),
 * {@code touchpoints} (the once-per-year guarantee), {@code schedule_runs} (their own retention).
 */
@Component
public class JobRetentionActivitiesImpl implements JobRetentionActivities {

  private static final Logger log = LoggerFactory.getLogger(JobRetentionActivitiesImpl.class);

  /** Start of a UTC day given as :day, as a timestamptz. */
  private static final String DAY_START = "(CAST(:day AS date)::timestamp AT TIME ZONE 'UTC')";

  private static final String DAY_END = "((CAST(:day AS date) + 1)::timestamp AT TIME ZONE 'UTC')";

  private static final String ROLLUP_COLUMNS =
      """
      day, type, priority, accepted, started, completed, failed, cancelled, unfinished,
      needed_retry, recovered, recovery_seconds_sum, recovery_count, start_seconds_sum,
      start_count, start_p50_seconds, start_p95_seconds, finish_seconds_sum, finish_count,
      finish_p50_seconds, finish_p95_seconds, computed_at
      """;

  /**
   * A job needed a retry when one of its attempts failed (it recorded an error) or an operator
   * retried it; a cancelled job's error is the cancellation, not a failure.
   */
  static final String NEEDED_RETRY =
      "(status <> 'CANCELLED' AND (last_error_type IS NOT NULL OR resolution = 'RETRIED'))";

  private static final String ROLLUP_SELECT =
      """
      SELECT CAST(:day AS date), type, priority,
             count(*),
             count(started_at),
             count(*) FILTER (WHERE status = 'COMPLETED'),
             count(*) FILTER (WHERE status = 'FAILED'),
             count(*) FILTER (WHERE status = 'CANCELLED'),
             count(*) FILTER (WHERE status IN ('PENDING', 'PROCESSING')),
             count(*) FILTER (WHERE %1$s),
             count(*) FILTER (WHERE %1$s AND status = 'COMPLETED'),
             coalesce(sum(extract(epoch FROM finished_at - first_failed_at))
                 FILTER (WHERE %1$s AND status = 'COMPLETED' AND first_failed_at IS NOT NULL), 0),
             count(*) FILTER (WHERE %1$s AND status = 'COMPLETED' AND first_failed_at IS NOT NULL),
             coalesce(sum(extract(epoch FROM started_at - created_at)), 0),
             count(started_at),
             percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM started_at - created_at)),
             percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM started_at - created_at)),
             coalesce(sum(extract(epoch FROM finished_at - created_at))
                 FILTER (WHERE status = 'COMPLETED'), 0),
             count(*) FILTER (WHERE status = 'COMPLETED' AND finished_at IS NOT NULL),
             percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - created_at))
                 FILTER (WHERE status = 'COMPLETED'),
             percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - created_at))
                 FILTER (WHERE status = 'COMPLETED'),
             now()
        FROM jobs
       WHERE created_at >= %2$s AND created_at < %3$s
       GROUP BY type, priority
      """
          .formatted(NEEDED_RETRY, DAY_START, DAY_END);

  /** Jobs that may be deleted (alias {@code j}). */
  private static final String EXPIRED =
      """
      j.finished_at < now() - make_interval(secs => :ageSeconds)
      AND (j.status IN ('COMPLETED', 'CANCELLED')
           OR (j.status = 'FAILED' AND j.resolution = 'RESOLVED'
               AND j.resolved_at < now() - make_interval(secs => :ageSeconds)))
      AND EXISTS (SELECT 1 FROM job_daily_rollups r
                   WHERE r.day = (j.created_at AT TIME ZONE 'UTC')::date
                     AND r.type = j.type AND r.priority = j.priority)
      AND NOT EXISTS (SELECT 1 FROM jobs f WHERE f.parent_job_id = j.id)
      AND NOT (j.type IN ('company_ban', 'company_unban')
               AND EXISTS (SELECT 1 FROM companies c
                            WHERE c.id = j.company_id AND c.status = 'BANNED'))
      """;

  /** The records that belong to a job alone, deleted before it. */
  private static final List<String> DEPENDENTS =
      List.of(
          "DELETE FROM email_deliveries WHERE job_id = ANY(:ids::uuid[])",
          "DELETE FROM email_sends WHERE job_id = ANY(:ids::uuid[])",
          "DELETE FROM moderation_changes WHERE job_id = ANY(:ids::uuid[])",
          "DELETE FROM moderation_fences WHERE job_id = ANY(:ids::uuid[])",
          "DELETE FROM search_reindex_batches WHERE job_id = ANY(:ids::uuid[])",
          "DELETE FROM payment_alerts WHERE job_id = ANY(:ids::uuid[])",
          "DELETE FROM mailgun_events WHERE job_id = ANY(:ids::text[]) AND touchpoint_id IS NULL",
          "DELETE FROM job_retries WHERE job_id = ANY(:ids::uuid[])");

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final JobRetentionProperties properties;

  public JobRetentionActivitiesImpl(
      JdbcClient jdbc, TransactionTemplate transactions, JobRetentionProperties properties) {
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.properties = properties;
  }

  @Override
  public int rollUpJobDays() {
    List<LocalDate> recent =
        jdbc.sql(
                """
                SELECT (now() AT TIME ZONE 'UTC')::date - back
                  FROM generate_series(1, :days) back ORDER BY 1
                """)
            .param("days", properties.recomputeDays())
            .query(LocalDate.class)
            .list();
    List<LocalDate> missing =
        jdbc.sql(
                """
                SELECT DISTINCT k.day FROM (
                    SELECT DISTINCT (created_at AT TIME ZONE 'UTC')::date AS day, type, priority
                      FROM jobs
                     WHERE created_at < ((now() AT TIME ZONE 'UTC')::date - :days)::timestamp
                                        AT TIME ZONE 'UTC') k
                 WHERE NOT EXISTS (SELECT 1 FROM job_daily_rollups r
                                    WHERE r.day = k.day AND r.type = k.type
                                      AND r.priority = k.priority)
                 ORDER BY k.day
                """)
            .param("days", properties.recomputeDays())
            .query(LocalDate.class)
            .list();
    int written = 0;
    for (LocalDate day : missing) {
      // An old day may have lost rows already: only the missing (type, priority) rows are added.
      transactions.executeWithoutResult(
          tx ->
              jdbc.sql(
                      "INSERT INTO job_daily_rollups ("
                          + ROLLUP_COLUMNS
                          + ") "
                          + ROLLUP_SELECT
                          + " ON CONFLICT (day, type, priority) DO NOTHING")
                  .param("day", day)
                  .update());
      written++;
      Activity.getExecutionContext().heartbeat(written);
    }
    for (LocalDate day : recent) {
      transactions.executeWithoutResult(
          tx -> {
            jdbc.sql("DELETE FROM job_daily_rollups WHERE day = :day").param("day", day).update();
            jdbc.sql("INSERT INTO job_daily_rollups (" + ROLLUP_COLUMNS + ") " + ROLLUP_SELECT)
                .param("day", day)
                .update();
          });
      written++;
      Activity.getExecutionContext().heartbeat(written);
    }
    log.info("job roll-ups: {} days written ({} filled in)", written, missing.size());
    return written;
  }

  @Override
  public long deleteExpiredJobs() {
    var context = Activity.getExecutionContext();
    long deleted = context.getHeartbeatDetails(Long.class).orElse(0L);
    while (true) {
      Integer rows = transactions.execute(tx -> deleteExpiredBatch());
      deleted += rows;
      context.heartbeat(deleted);
      // Until a batch finds nothing: a job whose follow-ups went in this batch goes in the next.
      if (rows == 0) {
        log.info("job retention: {} expired jobs deleted", deleted);
        return deleted;
      }
    }
  }

  private int deleteExpiredBatch() {
    List<UUID> ids =
        jdbc.sql(
                "SELECT j.id FROM jobs j WHERE "
                    + EXPIRED
                    + " ORDER BY j.finished_at LIMIT :limit FOR UPDATE OF j SKIP LOCKED")
            .param("ageSeconds", (double) properties.completedAfter().toSeconds())
            .param("limit", properties.batchSize())
            .query(UUID.class)
            .list();
    if (ids.isEmpty()) {
      return 0;
    }
    String array = ids.stream().map(UUID::toString).collect(Collectors.joining(",", "{", "}"));
    for (String statement : DEPENDENTS) {
      jdbc.sql(statement).param("ids", array).update();
    }
    return jdbc.sql("DELETE FROM jobs WHERE id = ANY(:ids::uuid[])").param("ids", array).update();
  }

  @Override
  public long deleteExpiredJobRollups() {
    return jdbc.sql(
            """
            DELETE FROM job_daily_rollups
             WHERE day < (now() AT TIME ZONE 'UTC')::date - :days
            """)
        .param("days", (int) properties.rollupsKept().toDays())
        .update();
  }
}
