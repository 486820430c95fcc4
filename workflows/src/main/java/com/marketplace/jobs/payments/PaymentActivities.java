package com.marketplace.jobs.payments;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** The effects of a payment job: our rows, Stripe, and the finance contact's alert. */
@ActivityInterface(namePrefix = "Payment")
public interface PaymentActivities {

  /**
   * Applies the event to the {@code payments} row of its intent (insert or update) and copies the
   * result to the order it belongs to, in one transaction. The status only moves up its precedence
   * and known values are kept, so the final rows are the same whatever order events arrive in.
   *
   * <p>Idempotency: applying the same event again changes nothing. Nothing undoes it: the row is a
   * record of what Stripe said.
   */
  @ActivityMethod
  PaymentState recordEvent(PaymentEvent event);

  /**
   * Captures the intent through Stripe unless our row already shows it collected, then records it
   * SUCCEEDED (captured at, by this job) on the payment and its order.
   *
   * <p>Idempotency key: {@link CaptureRequest#idempotencyKey()} ({@code capture-<event id>}), sent
   * to Stripe, so a retried capture never captures twice; the row update is idempotent too. Undone
   * only by a refund, which this service never issues.
   *
   * <p>Fails retryably ({@code PROVIDER_UNAVAILABLE}) on network errors, timeouts, 409, 429 and
   * 5xx; non-retryably ({@code PROVIDER_REJECTED}) on any other 4xx (the intent cannot be captured:
   * wrong state, unknown id, bad key).
   */
  @ActivityMethod
  PaymentState capture(CaptureRequest request);

  /**
   * Emails the configured finance contact that a payment job failed for good.
   *
   * <p>Idempotency key: the job id; a job whose alert was sent sends none again ({@code
   * payment_alerts}). Nothing undoes an email.
   */
  @ActivityMethod
  void alertFinance(PaymentAlert alert);
}
