package com.marketplace.jobs.purchases;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** One purchase-status check; started by the {@code purchase-status-checks} schedule. */
@WorkflowInterface
public interface PurchaseStatusCheckWorkflow {

  /**
   * Checks every pending purchase with the provider, flags the ones pending too long and emails
   * their companies. Safe to run any number of times: a purchase only moves forward, each is
   * flagged once, and each flag's email is sent once.
   */
  @WorkflowMethod
  PurchaseStatusCheckRun run();

  /** What the run did so far, across continue-as-new. */
  @QueryMethod
  PurchaseStatusCheckRun progress();
}
