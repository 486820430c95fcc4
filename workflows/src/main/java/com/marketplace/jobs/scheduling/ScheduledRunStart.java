package com.marketplace.jobs.scheduling;

/**
 * A scheduled run as its first workflow task sees it. Times are epoch milliseconds.
 *
 * @param scheduleId the schedule that started the run ({@code TemporalScheduledById})
 * @param workflowId the run's workflow id: the schedule's workflow id plus the scheduled time
 * @param scheduledAt the schedule's nominal time for the run ({@code TemporalScheduledStartTime})
 * @param workflowStartedAt when Temporal started the workflow
 * @param startedAt when a worker ran its first workflow task
 */
public record ScheduledRunStart(
    String scheduleId,
    String workflowId,
    String runId,
    String workflowType,
    String taskQueue,
    long scheduledAt,
    long workflowStartedAt,
    long startedAt) {}
