package com.marketplace.jobs.notifications;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

public class CompanyNoticeWorkflowImpl implements CompanyNoticeWorkflow {

  /**
   * 1 attempt + 14 retries, 2 s doubling up to 10 minutes apart (2 s, 4 s, ... 512 s, then 10
   * minutes five times): about 67 minutes in all, so an outage of Mailgun of an hour still ends in
   * a sent email. Start-to-close above the Mailgun client's deadline ({@code jobs.mailgun.timeout},
   * 10 s); no heartbeat (one HTTP call).
   */
  static final ActivityOptions SEND_OPTIONS =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(30))
          .setRetryOptions(
              RetryOptions.newBuilder()
                  .setInitialInterval(Duration.ofSeconds(2))
                  .setBackoffCoefficient(2.0)
                  .setMaximumInterval(Duration.ofMinutes(10))
                  .setMaximumAttempts(15)
                  .build())
          .build();

  private final CompanyNoticeActivities activities =
      Workflow.newActivityStub(CompanyNoticeActivities.class, SEND_OPTIONS);

  @Override
  public String send(CompanyNoticeRequest request) {
    return activities.sendCompanyNotice(request);
  }
}
