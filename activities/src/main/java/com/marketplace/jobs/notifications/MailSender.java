package com.marketplace.jobs.notifications;

/** Hands an email to the mail provider, at most once per job. */
public interface MailSender {

  /**
   * Sends the email and returns the provider's message id. Idempotency key: {@code email.jobId()}.
   * A job whose email the provider already accepted, in this attempt or an earlier one (even one
   * whose answer was lost), gets that message's id back and nothing is sent again; one email per
   * job id.
   *
   * @throws io.temporal.failure.ApplicationFailure of type {@code PROVIDER_REJECTED}
   *     (non-retryable) or {@code PROVIDER_UNAVAILABLE} (retryable)
   */
  String send(OutgoingEmail email);
}
