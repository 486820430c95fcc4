/**
 * Retention of the job ledger (schedule {@code job-retention}, daily). {@link
 * com.marketplace.jobs.retention.JobRetentionWorkflow} first rolls the ledger up into {@code
 * job_daily_rollups} (one row per UTC day of acceptance, job type and priority: the figures the
 * reliability report and the /ops counts need), then deletes COMPLETED and CANCELLED jobs, and
 * FAILED ones a person marked RESOLVED, that finished longer ago than {@code
 * jobs.retention.completed-after}, together with the records that belong only to them, then the
 * roll-ups older than {@code jobs.retention.rollups-kept}. FAILED jobs nobody resolved stay,
 * whatever their age. A job is deleted only once its day has a roll-up, so its figures outlive it.
 */
package com.marketplace.jobs.retention;
