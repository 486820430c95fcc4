package com.marketplace.jobs.plans;

import com.marketplace.jobs.notifications.CompanyNoticeWorkflowImpl;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.List;

public class PlanLimitCheckWorkflowImpl implements PlanLimitCheckWorkflow {

  /**
   * Tenants per page. A page costs four activities (about 12 history events with their workflow
   * tasks), so a run over 100,000 tenants stays near 15,000 events, well within a history's limit.
   */
  static final int PAGE_SIZE = 100;

  /** Database-only steps: short, retried a few times over a minute. */
  static final ActivityOptions CHECK_OPTIONS =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(2))
          .setRetryOptions(
              RetryOptions.newBuilder()
                  .setInitialInterval(Duration.ofSeconds(1))
                  .setMaximumInterval(Duration.ofSeconds(30))
                  .setMaximumAttempts(10)
                  .build())
          .build();

  /**
   * Marketplace and search calls: one batch of at most 100 vehicles per call, heartbeating; retried
   * over about an hour (the run is daily, a later run picks up anything still undone).
   */
  static final ActivityOptions HOLDBACK_OPTIONS =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(15))
          .setHeartbeatTimeout(Duration.ofMinutes(1))
          .setRetryOptions(CompanyNoticeWorkflowImpl.RIDE_OUT_AN_HOUR_OF_MAILGUN)
          .build();

  /** Emails: at most a few per tenant, retried like every company email. */
  static final ActivityOptions EMAIL_OPTIONS =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(10))
          .setHeartbeatTimeout(Duration.ofMinutes(1))
          .setRetryOptions(CompanyNoticeWorkflowImpl.RIDE_OUT_AN_HOUR_OF_MAILGUN)
          .build();

  private final PlanLimitActivities checks =
      Workflow.newActivityStub(PlanLimitActivities.class, CHECK_OPTIONS);
  private final PlanLimitActivities holdbacks =
      Workflow.newActivityStub(PlanLimitActivities.class, HOLDBACK_OPTIONS);
  private final PlanLimitActivities emails =
      Workflow.newActivityStub(PlanLimitActivities.class, EMAIL_OPTIONS);

  @Override
  public PlanLimitRun run() {
    int checked = 0;
    int warning = 0;
    int overLimit = 0;
    int heldBack = 0;
    int released = 0;
    int sent = 0;
    long cursor = 0;
    while (true) {
      List<Long> page = checks.planLimitsTenantPage(cursor, PAGE_SIZE);
      if (page.isEmpty()) {
        break;
      }
      PlanCheckBatch check = checks.planLimitsCheckTenants(page);
      checked += check.checked();
      warning += check.warning();
      overLimit += check.overLimit();
      heldBack += check.heldBack();
      released += check.released();
      // Held back and restored before the emails, so an email says what is already done.
      holdbacks.planLimitsApplyHoldbacks(page);
      sent += emails.planLimitsSendNotices(page);
      cursor = page.get(page.size() - 1);
    }
    return new PlanLimitRun(checked, warning, overLimit, heldBack, released, sent);
  }
}
