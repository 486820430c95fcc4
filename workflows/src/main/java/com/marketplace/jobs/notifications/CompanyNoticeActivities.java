package com.marketplace.jobs.notifications;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Sends company notices (see {@link CompanyNoticeWorkflow}). */
@ActivityInterface
public interface CompanyNoticeActivities {

  /**
   * Emails the company's contact. Idempotency key: the notice's job id (the delivery is recorded
   * under it, and a job that has one sends nothing; after an attempt that lost Mailgun's answer,
   * the next one looks for the message in Mailgun's events before it sends). 429, 5xx and timeouts
   * are retryable; another 4xx fails non-retryably (PROVIDER_REJECTED). Nothing undoes an email.
   *
   * @return Mailgun's message id
   */
  @ActivityMethod
  String sendCompanyNotice(CompanyNoticeRequest request);
}
