package com.marketplace.jobs.scheduling;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * The service's own scheduled task (schedule {@code schedule-runs-retention}): deletes run-log rows
 * scheduled longer ago than {@code jobs.schedules.run-log-retention}, in batches. Takes no
 * arguments, as every scheduled workflow.
 */
@WorkflowInterface
public interface ScheduleRunsRetentionWorkflow {

  /**
   * Deletes expired run-log rows, at most {@link ScheduleRunsRetentionWorkflowImpl#MAX_BATCHES}
   * batches per run (the next run deletes the rest). Idempotent: a second run finds nothing left to
   * delete. Nothing undoes it.
   *
   * @return the number of rows deleted
   */
  @WorkflowMethod
  long deleteExpiredRuns();
}
