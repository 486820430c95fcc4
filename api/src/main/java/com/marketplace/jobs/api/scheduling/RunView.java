package com.marketplace.jobs.api.scheduling;

import java.time.Instant;
import java.util.UUID;

/**
 * One run a schedule started, from the run log.
 *
 * @param scheduledAt the schedule's nominal time (the trigger's time for a manual run)
 * @param startedAt when a worker first ran it
 * @param latenessMillis startedAt minus scheduledAt
 * @param outcome RUNNING, COMPLETED, FAILED, CANCELED, or, for a run ended in Temporal by an
 *     operator or a timeout (from the ledger), TERMINATED or TIMED_OUT
 * @param manual true when its scheduled time is not one of the schedule's times (a trigger:
 *     Temporal sets a triggered run's scheduled time to the trigger's whole second, so a trigger on
 *     one of the schedule's own seconds counts as scheduled); null where the schedule's times were
 *     not looked up (the last run of {@code GET /api/schedules})
 * @param jobId its row in the job ledger ({@code GET /api/jobs/{jobId}})
 */
public record RunView(
    String workflowId,
    String runId,
    Instant scheduledAt,
    Instant startedAt,
    Instant finishedAt,
    long latenessMillis,
    String outcome,
    String errorType,
    Boolean manual,
    UUID jobId) {

  RunView asManual(boolean isManual) {
    return new RunView(
        workflowId,
        runId,
        scheduledAt,
        startedAt,
        finishedAt,
        latenessMillis,
        outcome,
        errorType,
        isManual,
        jobId);
  }
}
