package com.marketplace.jobs.retention;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * The ledger's daily retention (schedule {@code job-retention}): roll-ups first, then the expired
 * jobs, then the expired roll-ups. Takes no arguments, as every scheduled workflow.
 */
@WorkflowInterface
public interface JobRetentionWorkflow {

  /**
   * Rolls up the recent days, deletes expired jobs and roll-ups. Idempotent: the roll-ups are
   * upserts recomputed from the ledger, and a second run finds nothing left to delete. Nothing
   * undoes the deletions.
   */
  @WorkflowMethod
  RetentionResult applyJobRetention();
}
