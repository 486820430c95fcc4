package com.marketplace.jobs.payments;

/** The Stripe calls payment jobs make. */
public interface StripePayments {

  /**
   * Captures the whole authorized amount of a PaymentIntent.
   *
   * @param idempotencyKey sent as {@code Idempotency-Key}: Stripe answers a repeat with the first
   *     answer instead of capturing again
   * @throws io.temporal.failure.ApplicationFailure {@code PROVIDER_UNAVAILABLE} (retryable) on
   *     network errors, timeouts, 409, 429 and 5xx; {@code PROVIDER_REJECTED} (non-retryable) on
   *     any other 4xx
   */
  void capture(String paymentIntentId, String idempotencyKey);
}
