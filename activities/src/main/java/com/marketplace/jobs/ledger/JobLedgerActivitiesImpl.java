package com.marketplace.jobs.ledger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The worker's writes to the {@code jobs} ledger, keyed by workflow id. Every statement is
 * idempotent, and a finished job (COMPLETED, FAILED or CANCELLED) is never moved back by a late or
 * replayed call. A job whose cancellation was requested ends CANCELLED instead of FAILED when its
 * workflow ended as a cancellation ends it ({@link LedgerCancellation}).
 */
@Component
public class JobLedgerActivitiesImpl implements JobLedgerActivities, JobAttemptRecorder {

  private static final Logger log = LoggerFactory.getLogger(JobLedgerActivitiesImpl.class);

  private final JdbcClient jdbc;

  public JobLedgerActivitiesImpl(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void markCompleted(String workflowId) {
    jdbc.sql(
            """
            UPDATE jobs SET status = 'COMPLETED', finished_at = now(), updated_at = now(),
                   started_at = coalesce(started_at, now()),
                   progress_completed = coalesce(progress_total, progress_completed),
                   progress_step = CASE WHEN progress_step IS NULL THEN NULL ELSE 'done' END
             WHERE workflow_id = :workflowId AND status IN ('PENDING', 'PROCESSING')
            """)
        .param("workflowId", workflowId)
        .update();
  }

  @Override
  public void markFailed(String workflowId, String errorType, String errorMessage) {
    jdbc.sql(
            """
            UPDATE jobs SET status = %s, finished_at = now(), updated_at = now(),
                   started_at = %s,
                   last_error_type = :type, last_error_message = :message,
                   resolution = %s
             WHERE workflow_id = :workflowId AND status IN ('PENDING', 'PROCESSING')
            """
                .formatted(
                    LedgerCancellation.FAILED_OR_CANCELLED_SQL,
                    LedgerCancellation.STARTED_AT_SQL,
                    LedgerCancellation.RESOLUTION_SQL))
        .param("cancellationEnd", LedgerCancellation.isCancellationEnd(errorType))
        .param("type", errorType)
        .param("message", withoutPersonalData(errorMessage))
        .param("workflowId", workflowId)
        .update();
  }

  @Override
  public void attemptStarted(String workflowId, String runId) {
    try {
      jdbc.sql(
              """
              UPDATE jobs SET attempts = attempts + 1, updated_at = now(), status = 'PROCESSING',
                     run_id = :runId,
                     started_at = coalesce(started_at, now()),
                     workflow_started_at = coalesce(workflow_started_at, now()),
                     finished_at = NULL,
                     resolution = CASE WHEN status = 'FAILED' THEN 'RETRIED' ELSE resolution END
               WHERE workflow_id = :workflowId
                 AND (status IN ('PENDING', 'PROCESSING') OR run_id IS DISTINCT FROM :runId)
              """)
          .param("runId", runId)
          .param("workflowId", workflowId)
          .update();
    } catch (DataAccessException e) {
      log.warn("workflow {}: could not count the attempt in the ledger", workflowId, e);
    }
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
