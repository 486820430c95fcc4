package com.marketplace.jobs.purchases;

/**
 * The purchase provider's view of one purchase: {@code GET {baseUrl}/v1/purchases/{reference}}.
 * Read-only, so any call may be repeated.
 */
public interface PurchaseProvider {

  /** The longest provider reference we send (it travels in the path). */
  int MAX_REFERENCE_LENGTH = 200;

  /**
   * What the provider says about the purchase.
   *
   * @return the purchase's status, or the provider's refusal to tell about this one purchase (a 4xx
   *     other than 401/403, or an answer that is not a purchase status)
   * @throws io.temporal.failure.ApplicationFailure of type {@code PROVIDER_UNAVAILABLE} (429, 5xx,
   *     timeouts, unreachable: retryable) or {@code PROVIDER_REJECTED} (401/403: our credentials,
   *     so no purchase can be checked; not retryable)
   */
  Answer status(String reference);

  /** The provider's answer about one purchase. */
  sealed interface Answer {}

  /** The provider's status values. */
  enum Status {
    PENDING,
    COMPLETED,
    FAILED
  }

  /**
   * @param reason the provider's reason for a failed purchase (a short code); may be null
   */
  record Known(Status status, String reason) implements Answer {}

  /**
   * @param httpStatus the provider's HTTP status, or 200 for an answer that was not a status
   * @param message our own words, never the provider's body (it can echo personal data)
   */
  record Refused(int httpStatus, String message) implements Answer {}
}
