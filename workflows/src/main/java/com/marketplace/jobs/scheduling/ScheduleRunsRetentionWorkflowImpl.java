package com.marketplace.jobs.scheduling;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/** Batches of {@link #BATCH_SIZE} until a batch comes back short, at most {@link #MAX_BATCHES}. */
public class ScheduleRunsRetentionWorkflowImpl implements ScheduleRunsRetentionWorkflow {

  static final int BATCH_SIZE = 1000;

  /** Bounds one run's history; what is left waits for the next run. */
  static final int MAX_BATCHES = 100;

  private final ScheduleRunsRetentionActivities activities =
      Workflow.newActivityStub(
          ScheduleRunsRetentionActivities.class,
          ActivityOptions.newBuilder()
              .setStartToCloseTimeout(Duration.ofSeconds(60))
              .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(4).build())
              .build());

  @Override
  public long deleteExpiredRuns() {
    long deleted = 0;
    for (int batch = 0; batch < MAX_BATCHES; batch++) {
      int rows = activities.deleteExpiredRunBatch(BATCH_SIZE);
      deleted += rows;
      if (rows < BATCH_SIZE) {
        break;
      }
    }
    return deleted;
  }
}
