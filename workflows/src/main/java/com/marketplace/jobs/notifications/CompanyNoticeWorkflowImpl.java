package com.marketplace.jobs.notifications;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

public class CompanyNoticeWorkflowImpl implements CompanyNoticeWorkflow {

  /**
   * One attempt's limit: above an attempt's worst case (26 s with the defaults: waiting out
   * Mailgun's events lag, one look at its events, one send; MailgunProperties checks it at the
   * worker's start). No heartbeat: at most two HTTP calls.
   */
  public static final Duration SEND_START_TO_CLOSE = Duration.ofSeconds(30);

  /**
   * 1 attempt + 14 retries, 2 s doubling up to 10 minutes apart (2 s, 4 s, ... 512 s, then 10
   * minutes five times): about 67 minutes in all, so an outage of Mailgun of an hour still ends in
   * a sent email. The vehicle reminders retry their emails the same way.
   */
  public static final RetryOptions RIDE_OUT_AN_HOUR_OF_MAILGUN =
      RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofSeconds(2))
          .setBackoffCoefficient(2.0)
          .setMaximumInterval(Duration.ofMinutes(10))
          .setMaximumAttempts(15)
          .build();

  static final ActivityOptions SEND_OPTIONS =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(SEND_START_TO_CLOSE)
          .setRetryOptions(RIDE_OUT_AN_HOUR_OF_MAILGUN)
          .build();

  private final CompanyNoticeActivities activities =
      Workflow.newActivityStub(CompanyNoticeActivities.class, SEND_OPTIONS);

  @Override
  public String send(CompanyNoticeRequest request) {
    return activities.sendCompanyNotice(request);
  }
}
