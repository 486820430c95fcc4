package com.marketplace.jobs.notifications;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** Sends one templated email to one customer through Mailgun, with retries. */
@WorkflowInterface
public interface NotificationWorkflow {

  /**
   * Renders and sends the email. Idempotent per job: the workflow id derives from the job id and
   * the delivery is recorded under the job id, so a second run sends nothing.
   */
  @WorkflowMethod
  DeliveryReceipt send(NotificationRequest request);
}
