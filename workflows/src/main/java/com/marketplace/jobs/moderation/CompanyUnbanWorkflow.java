package com.marketplace.jobs.moderation;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** Lifts a ban, all or nothing, restoring exactly what the ban changed. */
@WorkflowInterface
public interface CompanyUnbanWorkflow {

  /** Runs the unban. Idempotent per job; fails like {@link CompanyBanWorkflow#ban}. */
  @WorkflowMethod
  ModerationResult unban(UnbanRequest request);

  @QueryMethod
  ModerationProgress progress();
}
