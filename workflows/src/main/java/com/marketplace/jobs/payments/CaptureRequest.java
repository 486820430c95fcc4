package com.marketplace.jobs.payments;

/**
 * Capture an authorized PaymentIntent.
 *
 * @param idempotencyKey sent to Stripe as {@code Idempotency-Key}: {@code capture-<event id>}, so
 *     every retry of this capture is the same request to Stripe
 */
public record CaptureRequest(String jobId, String paymentIntentId, String idempotencyKey) {

  public static CaptureRequest forEvent(PaymentEvent event) {
    return new CaptureRequest(event.jobId(), event.paymentIntentId(), "capture-" + event.eventId());
  }
}
