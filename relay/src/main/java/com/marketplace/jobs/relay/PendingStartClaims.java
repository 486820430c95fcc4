package com.marketplace.jobs.relay;

import com.marketplace.jobs.common.FailureType;
import com.marketplace.jobs.ledger.LedgerErrorMessages;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The relay's reads and writes of the ledger, all of them here so the rules of a claim can be read
 * at once: a due row (not started, its next attempt reached, older than the relay's start delay) is
 * claimed with {@code FOR UPDATE SKIP LOCKED}, payments first then oldest, and leased for {@code
 * claim-lease}, so relays in several processes never take the same row and a relay that dies with a
 * claim only delays that row by the lease. Each outcome of a start is one statement on the row.
 *
 * <p>A start happens under the row's lock ({@link #startIfStillOwed}), which {@code POST
 * /api/jobs/{id}/cancel} takes too: a job cancelled before its start is never started, even when a
 * relay had claimed it a moment before.
 */
final class PendingStartClaims {

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final RelayProperties properties;

  PendingStartClaims(JdbcClient jdbc, DataSource dataSource, RelayProperties properties) {
    this.jdbc = jdbc;
    this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    this.properties = properties;
  }

  /** Claims up to {@code limit} due jobs, in the order they should start: tier, then age. */
  List<PendingStart> claimDue(int limit) {
    List<PendingStart> claimed =
        jdbc.sql(
                """
                UPDATE jobs SET relay_next_attempt_at = now() + make_interval(secs => :lease),
                                relay_attempts = relay_attempts + 1
                 WHERE id IN (SELECT id FROM jobs
                               WHERE workflow_started_at IS NULL AND status = 'PENDING'
                                 AND relay_next_attempt_at <= now()
                                 AND created_at <= now() - make_interval(secs => :startDelay)
                               ORDER BY priority, created_at
                               LIMIT :limit
                               FOR UPDATE SKIP LOCKED)
                RETURNING id, type, workflow_id, workflow_type, task_queue, priority,
                          payload::text AS payload, tenant_id, company_id, relay_attempts,
                          created_at, not_before
                """)
            .param("lease", properties.claimLease().toSeconds())
            .param("startDelay", properties.startDelay().toMillis() / 1000.0)
            .param("limit", limit)
            .query(
                (rs, row) ->
                    new PendingStart(
                        rs.getObject("id", UUID.class),
                        rs.getString("type"),
                        rs.getString("workflow_id"),
                        rs.getString("workflow_type"),
                        rs.getString("task_queue"),
                        rs.getInt("priority"),
                        rs.getString("payload"),
                        (Long) rs.getObject("tenant_id"),
                        (Long) rs.getObject("company_id"),
                        rs.getInt("relay_attempts"),
                        rs.getObject("created_at", OffsetDateTime.class),
                        rs.getObject("not_before", OffsetDateTime.class)))
            .list();
    // RETURNING gives no order: sort as the claim chose.
    return claimed.stream()
        .sorted(
            Comparator.comparingInt(PendingStart::priority).thenComparing(PendingStart::createdAt))
        .toList();
  }

  /**
   * Calls {@code start} (StartWorkflow, returning the run id) while holding the job's row lock, and
   * records the start in the same transaction, if the job is still owed a start: PENDING and not
   * started. Returns false without calling {@code start} when it is not (cancelled meanwhile, or
   * started by another relay). A failing {@code start} propagates and writes nothing.
   */
  boolean startIfStillOwed(PendingStart job, Supplier<String> start) {
    return Boolean.TRUE.equals(
        transactions.execute(
            status -> {
              boolean owed =
                  jdbc.sql(
                          """
                          SELECT status = 'PENDING' AND workflow_started_at IS NULL
                            FROM jobs WHERE id = :id FOR UPDATE
                          """)
                      .param("id", job.jobId())
                      .query(Boolean.class)
                      .optional()
                      .orElse(false);
              if (!owed) {
                return false;
              }
              markStarted(job, start.get());
              return true;
            }));
  }

  /** Temporal has the workflow: the relay owes this job nothing more. */
  void markStarted(PendingStart job, String runId) {
    jdbc.sql(
            """
            UPDATE jobs SET workflow_started_at = coalesce(workflow_started_at, now()),
                            run_id = coalesce(run_id, :runId), updated_at = now()
             WHERE id = :id
            """)
        .param("runId", runId)
        .param("id", job.jobId())
        .update();
  }

  /** The start failed: try this job again after {@code backoff}. */
  void retryLater(PendingStart job, Duration backoff) {
    jdbc.sql(
            """
            UPDATE jobs SET relay_next_attempt_at = now() + make_interval(secs => :seconds)
             WHERE id = :id AND workflow_started_at IS NULL
            """)
        .param("seconds", backoff.toMillis() / 1000.0)
        .param("id", job.jobId())
        .update();
  }

  /** Ends the lease at once: the job is due again for the next claim. */
  void handBack(PendingStart job) {
    jdbc.sql(
            """
            UPDATE jobs SET relay_next_attempt_at = now()
             WHERE id = :id AND workflow_started_at IS NULL
            """)
        .param("id", job.jobId())
        .update();
  }

  /**
   * Temporal refused the start for good: one more refusal on the row, its reason as the job's last
   * error, and either a retry after {@code backoff} or, at the {@code maxRefusals}-th, the end of
   * the job: FAILED/UNRESOLVED with {@code START_REFUSED}, never claimed again. Returns the
   * refusals counted so far.
   */
  int recordRefusal(PendingStart job, String reason, int maxRefusals, Duration backoff) {
    return jdbc.sql(
            """
            UPDATE jobs SET relay_refused_starts = relay_refused_starts + 1,
                   last_error_type = :type, last_error_message = :message, updated_at = now(),
                   relay_next_attempt_at =
                     CASE WHEN relay_refused_starts + 1 >= :max THEN 'infinity'
                          ELSE now() + make_interval(secs => :seconds) END,
                   status = CASE WHEN relay_refused_starts + 1 >= :max THEN 'FAILED'
                                 ELSE status END,
                   resolution = CASE WHEN relay_refused_starts + 1 >= :max THEN 'UNRESOLVED'
                                     ELSE resolution END,
                   finished_at = CASE WHEN relay_refused_starts + 1 >= :max THEN now()
                                      ELSE finished_at END
             WHERE id = :id AND workflow_started_at IS NULL AND status = 'PENDING'
            RETURNING relay_refused_starts
            """)
        .param("type", FailureType.START_REFUSED.name())
        .param("message", LedgerErrorMessages.withoutPersonalData(reason))
        .param("max", maxRefusals)
        .param("seconds", backoff.toMillis() / 1000.0)
        .param("id", job.jobId())
        .query(Integer.class)
        .optional()
        .orElse(0);
  }

  /** Jobs the relays still owe a start (a job whose start was refused for good is owed none). */
  long backlog() {
    return jdbc.sql(
            "SELECT count(*) FROM jobs WHERE workflow_started_at IS NULL AND status = 'PENDING'")
        .query(Long.class)
        .single();
  }
}
