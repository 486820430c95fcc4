package com.marketplace.jobs.relay;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A claimed ledger row: everything StartWorkflow needs, and what the claim order sorts by.
 *
 * @param notBefore the job's due time, or null for a job due at once
 */
record PendingStart(
    UUID jobId,
    String type,
    String workflowId,
    String workflowType,
    String taskQueue,
    int priority,
    String payload,
    Long tenantId,
    Long companyId,
    int relayAttempts,
    OffsetDateTime createdAt,
    OffsetDateTime notBefore) {}
