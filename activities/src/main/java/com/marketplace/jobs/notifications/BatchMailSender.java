package com.marketplace.jobs.notifications;

/** Hands one email with many recipients to the mail provider, at most once per batch id. */
public interface BatchMailSender {

  /**
   * Sends the batch and returns the provider's message id (one for the whole batch). Idempotency
   * key: {@code batch.batchId()}. A batch the provider already accepted, in this attempt or an
   * earlier one (even one whose answer was lost), gets that message's id back and nothing is sent
   * again.
   *
   * @throws io.temporal.failure.ApplicationFailure of type {@code INVALID_INPUT} (non-retryable)
   *     when the provider refused the batch's content (HTTP 400, e.g. an invalid address), {@code
   *     PROVIDER_REJECTED} (non-retryable) for any other refusal, {@code PROVIDER_UNAVAILABLE}
   *     (retryable) when a retry may heal it
   */
  String sendBatch(OutgoingBatch batch);

  /** The most recipients one call may carry (Mailgun: 1,000). */
  int maxRecipients();
}
