package com.marketplace.jobs.scheduling;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** The run log's retention, applied in batches. */
@ActivityInterface
public interface ScheduleRunsRetentionActivities {

  /**
   * Deletes up to {@code limit} run-log rows scheduled before now minus {@code
   * jobs.schedules.run-log-retention}, in one transaction. Idempotent (a deleted row is not found
   * again); nothing undoes it.
   *
   * @return how many rows it deleted: fewer than {@code limit} when none are left
   */
  @ActivityMethod
  int deleteExpiredRunBatch(int limit);
}
