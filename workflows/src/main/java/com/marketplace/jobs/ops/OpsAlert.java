package com.marketplace.jobs.ops;

/**
 * One operations alert as claimed in {@code ops_alerts}: ids, types and the ledger's masked error,
 * never personal data.
 *
 * @param alertId the alert's id: the idempotency key of its email
 * @param condition what it is about
 * @param subject the job id (and run), the job type or the schedule it is about
 * @param jobId the job, when it is about one
 * @param jobType the job's type, or the failing type, or the scheduled run's type
 * @param reason why, in words ("failed after 4 attempts", "no progress for 20 min")
 * @param errorType the job's last error type, if any
 * @param errorMessage the job's last error message, masked
 * @param link where an operator looks first: the job's /ops page, the stuck page, the schedule
 */
public record OpsAlert(
    String alertId,
    AlertCondition condition,
    String subject,
    String jobId,
    String jobType,
    String reason,
    String errorType,
    String errorMessage,
    String link) {}
