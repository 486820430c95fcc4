package com.marketplace.jobs.api.intake;

import java.util.UUID;

/**
 * A job in the ledger, as the intake answers for it.
 *
 * @param replayed true when the request matched an existing job (same Idempotency-Key, or the same
 *     content within the duplicate window) and nothing new was accepted
 */
public record AcceptedJob(UUID jobId, String workflowId, String status, boolean replayed) {}
