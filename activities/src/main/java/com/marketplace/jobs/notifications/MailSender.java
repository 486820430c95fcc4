package com.marketplace.jobs.notifications;

/** Hands an email to the mail provider. */
public interface MailSender {

  /**
   * Sends the email and returns the provider's message id.
   *
   * @throws io.temporal.failure.ApplicationFailure of type {@code PROVIDER_REJECTED}
   *     (non-retryable) or {@code PROVIDER_UNAVAILABLE} (retryable)
   */
  String send(OutgoingEmail email);
}
