package com.marketplace.jobs.moderation;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** Bans a company, all or nothing. See package-info for the steps and their compensations. */
@WorkflowInterface
public interface CompanyBanWorkflow {

  /**
   * Runs the ban. Idempotent per job: every step is keyed by the job id. Fails with type
   * ROLLED_BACK (everything undone) or ROLLBACK_INCOMPLETE (the message names what was not). A
   * cancelled ban is rolled back too; Temporal then records it as cancelled, and the job ledger
   * carries the rollback's outcome.
   */
  @WorkflowMethod
  ModerationResult ban(BanRequest request);

  @QueryMethod
  ModerationProgress progress();
}
