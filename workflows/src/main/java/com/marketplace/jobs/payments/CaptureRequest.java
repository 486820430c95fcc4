package com.marketplace.jobs.payments;

/**
 * Capture an authorized PaymentIntent.
 *
 * @param idempotencyKey sent to Stripe as {@code Idempotency-Key}: {@code capture-<payment intent
 *     id>}, so every retry of this capture, and the capture asked for by a second event about the
 *     same intent, is the same request to Stripe: the intent is captured once
 */
public record CaptureRequest(String jobId, String paymentIntentId, String idempotencyKey) {

  public static CaptureRequest forEvent(PaymentEvent event) {
    return new CaptureRequest(
        event.jobId(), event.paymentIntentId(), "capture-" + event.paymentIntentId());
  }
}
