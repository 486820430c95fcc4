package com.marketplace.jobs.ledger;

import java.time.OffsetDateTime;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The worker's writes to the {@code jobs} ledger, keyed by workflow id. Every statement is
 * idempotent, and a finished job (COMPLETED, FAILED or CANCELLED) is never moved back by a late or
 * replayed call. A job whose cancellation was requested ends CANCELLED instead of FAILED when its
 * workflow ended as a cancellation ends it ({@link LedgerCancellation}).
 *
 * <p>Each status write returns the row's state from just before it (the row is locked first), so
 * {@link JobMetrics} counts a transition exactly when this write made it: a replayed or duplicate
 * write changes nothing and counts nothing.
 */
@Component
public class JobLedgerActivitiesImpl implements JobLedgerActivities, JobAttemptRecorder {

  private static final Logger log = LoggerFactory.getLogger(JobLedgerActivitiesImpl.class);

  /**
   * The row as it was before this statement's change, locked so that nothing changes it in between:
   * joined as {@code prior_row} by every status write.
   */
  private static final String PRIOR_ROW =
      """
      (SELECT id AS row_id, status AS previous_status, started_at AS previous_started_at
         FROM jobs WHERE workflow_id = :workflowId FOR UPDATE) prior_row
      """;

  /** What a status write returns: the transition it made. */
  private static final String TRANSITION =
      """
      RETURNING j.type, j.status, prior_row.previous_status,
                prior_row.previous_started_at IS NULL AND j.started_at IS NOT NULL AS first_start,
                greatest(j.created_at, coalesce(j.not_before, j.created_at)) AS due_at,
                j.started_at, j.finished_at
      """;

  /** A status write's change: the job's state before and after it. */
  private record Transition(
      String type,
      String status,
      String previousStatus,
      boolean firstStart,
      OffsetDateTime dueAt,
      OffsetDateTime startedAt,
      OffsetDateTime finishedAt) {}

  private static final RowMapper<Transition> TRANSITIONS =
      (rs, row) ->
          new Transition(
              rs.getString("type"),
              rs.getString("status"),
              rs.getString("previous_status"),
              rs.getBoolean("first_start"),
              rs.getObject("due_at", OffsetDateTime.class),
              rs.getObject("started_at", OffsetDateTime.class),
              rs.getObject("finished_at", OffsetDateTime.class));

  private final JdbcClient jdbc;
  private final JobMetrics metrics;

  public JobLedgerActivitiesImpl(JdbcClient jdbc, JobMetrics metrics) {
    this.jdbc = jdbc;
    this.metrics = metrics;
  }

  @Override
  public void markCompleted(String workflowId) {
    jdbc.sql(
            """
            UPDATE jobs j SET status = 'COMPLETED', finished_at = now(), updated_at = now(),
                   started_at = coalesce(j.started_at, now()),
                   progress_completed = coalesce(j.progress_total, j.progress_completed),
                   progress_step = CASE WHEN j.progress_step IS NULL THEN NULL ELSE 'done' END
              FROM %s
             WHERE j.id = prior_row.row_id AND j.status IN ('PENDING', 'PROCESSING')
            %s
            """
                .formatted(PRIOR_ROW, TRANSITION))
        .param("workflowId", workflowId)
        .query(TRANSITIONS)
        .optional()
        .ifPresent(this::countFinished);
  }

  @Override
  public void markFailed(String workflowId, String errorType, String errorMessage) {
    jdbc.sql(
            """
            UPDATE jobs j SET status = %s, finished_at = now(), updated_at = now(),
                   started_at = %s,
                   last_error_type = :type, last_error_message = :message,
                   resolution = %s
              FROM %s
             WHERE j.id = prior_row.row_id AND j.status IN ('PENDING', 'PROCESSING')
            %s
            """
                .formatted(
                    LedgerCancellation.FAILED_OR_CANCELLED_SQL,
                    LedgerCancellation.STARTED_AT_SQL,
                    LedgerCancellation.RESOLUTION_SQL,
                    PRIOR_ROW,
                    TRANSITION))
        .param("cancellationEnd", LedgerCancellation.isCancellationEnd(errorType))
        .param("type", errorType)
        .param("message", withoutPersonalData(errorMessage))
        .param("workflowId", workflowId)
        .query(TRANSITIONS)
        .optional()
        .ifPresent(this::countFinished);
  }

  @Override
  public void attemptStarted(String workflowId, String runId) {
    Optional<Transition> transition;
    try {
      transition =
          jdbc.sql(
                  """
                  UPDATE jobs j SET attempts = j.attempts + 1, updated_at = now(),
                         status = 'PROCESSING', run_id = :runId,
                         started_at = coalesce(j.started_at, now()),
                         workflow_started_at = coalesce(j.workflow_started_at, now()),
                         finished_at = NULL,
                         resolution = CASE WHEN j.status = 'FAILED' THEN 'RETRIED'
                                           ELSE j.resolution END
                    FROM %s
                   WHERE j.id = prior_row.row_id
                     AND (j.status IN ('PENDING', 'PROCESSING') OR j.run_id IS DISTINCT FROM :runId)
                  %s
                  """
                      .formatted(PRIOR_ROW, TRANSITION))
              .param("runId", runId)
              .param("workflowId", workflowId)
              .query(TRANSITIONS)
              .optional();
    } catch (DataAccessException e) {
      log.warn("workflow {}: could not count the attempt in the ledger", workflowId, e);
      return;
    }
    transition.ifPresent(
        change -> {
          if (change.firstStart()) {
            metrics.started(change.type(), change.dueAt(), change.startedAt());
          }
          if ("FAILED".equals(change.previousStatus())) {
            // An operator reset the failed workflow (the CLI); a retry through the api set the row
            // PROCESSING itself and counted it there.
            metrics.retried(change.type());
          }
        });
  }

  private void countFinished(Transition change) {
    if (change.firstStart()) {
      metrics.started(change.type(), change.dueAt(), change.startedAt());
    }
    metrics.finished(change.type(), change.status(), change.dueAt(), change.finishedAt());
  }

  @Override
  public void attemptFailed(String workflowId, String errorType, String errorMessage) {
    try {
      jdbc.sql(
              """
              UPDATE jobs SET last_error_type = :type, last_error_message = :message,
                     updated_at = now()
               WHERE workflow_id = :workflowId AND status IN ('PENDING', 'PROCESSING')
              """)
          .param("type", errorType)
          .param("message", withoutPersonalData(errorMessage))
          .param("workflowId", workflowId)
          .update();
    } catch (DataAccessException e) {
      log.warn("workflow {}: could not record the failed attempt in the ledger", workflowId, e);
    }
  }

  /** See {@link LedgerErrorMessages#withoutPersonalData}. */
  static String withoutPersonalData(String message) {
    return LedgerErrorMessages.withoutPersonalData(message);
  }
}
