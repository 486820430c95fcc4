package com.marketplace.jobs.ledger;

import java.time.Instant;
import java.util.UUID;

/**
 * One stuck job, or one job type failing repeatedly, with why it is listed. Carries ids, types and
 * masked error text only, never personal data.
 *
 * @param jobId the job; {@code null} for {@link StuckReason#TYPE_FAILING}
 * @param type the job type
 * @param workflowId the job's workflow; {@code null} for a failing type
 * @param reason why it is listed
 * @param detail the reason in words, with its figures ("pending 12 min past its due time")
 * @param since when the condition began: the due time, the last progress, the newest failure
 * @param errorType the job's (or the type's newest) error type, if any
 * @param errorMessage that error's message, personal data masked
 */
public record StuckJob(
    UUID jobId,
    String type,
    String workflowId,
    StuckReason reason,
    String detail,
    Instant since,
    String errorType,
    String errorMessage) {}
