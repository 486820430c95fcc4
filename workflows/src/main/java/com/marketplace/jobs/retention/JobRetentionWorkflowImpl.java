package com.marketplace.jobs.retention;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/**
 * Roll-ups before deletions, so no job is deleted before its figures are kept (the deletion checks
 * that too). Each step is one heartbeating activity that loops over its batches, so the history
 * stays a few events long however many rows go.
 */
public class JobRetentionWorkflowImpl implements JobRetentionWorkflow {

  private final JobRetentionActivities activities =
      Workflow.newActivityStub(
          JobRetentionActivities.class,
          ActivityOptions.newBuilder()
              // A first run over a large ledger deletes many batches; each one heartbeats.
              .setStartToCloseTimeout(Duration.ofHours(2))
              .setHeartbeatTimeout(Duration.ofMinutes(2))
              .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(4).build())
              .build());

  @Override
  public RetentionResult applyJobRetention() {
    int days = activities.rollUpJobDays();
    long jobs = activities.deleteExpiredJobs();
    long rollups = activities.deleteExpiredJobRollups();
    return new RetentionResult(days, jobs, rollups);
  }
}
