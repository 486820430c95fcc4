package com.marketplace.jobs.ops;

/**
 * A condition seen by a check, before it is claimed: the fields of an {@code ops_alerts} row.
 *
 * @param subject with {@code condition}, the alert's unique key: the job id for a stuck job, {@code
 *     type@windowStart} for a failing type, {@code scheduleId@scheduledTime} for a missed run
 * @param jobId the job, for a stuck job; else {@code null}
 */
public record AlertCandidate(
    AlertCondition condition,
    String subject,
    String jobId,
    String jobType,
    String reason,
    String errorType,
    String errorMessage) {}
