package com.marketplace.jobs.payments;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** Applies one verified Stripe event to our payments and orders, capturing where it must. */
@WorkflowInterface
public interface PaymentEventWorkflow {

  /**
   * Records the event, captures an authorized intent, and on a failure that retries did not heal
   * alerts the finance contact once and fails the job. Idempotent per event: the workflow id
   * derives from the event id, the rows are upserted, the capture carries an idempotency key.
   */
  @WorkflowMethod
  PaymentState process(PaymentEvent event);
}
