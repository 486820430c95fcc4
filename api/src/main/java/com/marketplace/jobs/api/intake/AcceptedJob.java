package com.marketplace.jobs.api.intake;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A job in the ledger, as the intake answers for it.
 *
 * @param replayed true when the request matched an existing job (same Idempotency-Key, or the same
 *     content within the duplicate window) and nothing new was accepted
 * @param dueAt the job's due time when its trigger asked for a delay, else null
 */
public record AcceptedJob(
    UUID jobId, String workflowId, String status, boolean replayed, OffsetDateTime dueAt) {

  public AcceptedJob(UUID jobId, String workflowId, String status, boolean replayed) {
    this(jobId, workflowId, status, replayed, null);
  }
}
