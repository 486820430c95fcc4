package com.marketplace.jobs.notifications;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** The effects of a notification: render the template and hand the email to Mailgun. */
@ActivityInterface
public interface NotificationActivities {

  /**
   * Loads the customer, renders the template and sends the email, then records the delivery with
   * Mailgun's message id.
   *
   * <p>Idempotency key: the job id. A delivery already recorded for the job is returned without
   * sending again. An earlier attempt that may have sent without learning Mailgun's answer (a
   * timeout, a lost connection, a 5xx, a killed worker) is looked up in Mailgun's events by the job
   * id before anything is sent, and a message found there is recorded instead of sending another.
   * Nothing undoes an email; there is no compensation.
   *
   * <p>Fails non-retryably ({@code NOT_FOUND}, {@code INVALID_INPUT}, {@code PROVIDER_REJECTED})
   * when retrying cannot help; retryably ({@code PROVIDER_UNAVAILABLE}) on 429, 5xx and timeouts.
   */
  @ActivityMethod
  DeliveryReceipt deliverEmail(NotificationRequest request);
}
