package com.marketplace.jobs.plans;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** The daily plan-limit checks; started by the {@code plan-limit-checks} schedule. */
@WorkflowInterface
public interface PlanLimitCheckWorkflow {

  /**
   * Checks every tenant against its plan's limits, holds back or restores vehicles and emails the
   * administrators. Safe to run any number of times: a warning goes out once per tenant and
   * calendar month, an over-limit and a lifted email once per episode over the limit.
   */
  @WorkflowMethod
  PlanLimitRun run();
}
