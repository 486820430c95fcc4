package com.marketplace.jobs.ops;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;

/** Claim, then every alert's email and webhook post at once, each retried on its own. */
public class OpsAlertsWorkflowImpl implements OpsAlertsWorkflow {

  /** Alerts one check sends at most; the rest wait for the next check, a minute later. */
  static final int CLAIM_LIMIT = 100;

  /**
   * A delivery retries for about a minute (1 + 2 + 4 + 8 + 16 s between attempts) before the check
   * gives it up; the next check tries again, so an alert is delayed, never lost.
   */
  static final RetryOptions DELIVERY_RETRY =
      RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofSeconds(1))
          .setBackoffCoefficient(2.0)
          .setMaximumInterval(Duration.ofSeconds(16))
          .setMaximumAttempts(6)
          .build();

  private static final Logger log = Workflow.getLogger(OpsAlertsWorkflowImpl.class);

  private final OpsAlertActivities claims =
      Workflow.newActivityStub(
          OpsAlertActivities.class,
          ActivityOptions.newBuilder()
              .setStartToCloseTimeout(Duration.ofSeconds(60))
              .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(3).build())
              .build());

  private final OpsAlertActivities delivery =
      Workflow.newActivityStub(
          OpsAlertActivities.class,
          ActivityOptions.newBuilder()
              .setStartToCloseTimeout(Duration.ofSeconds(30))
              .setRetryOptions(DELIVERY_RETRY)
              .build());

  @Override
  public int checkOpsAlerts() {
    List<OpsAlert> alerts = claims.claimOpsAlerts(CLAIM_LIMIT);
    List<Promise<Void>> deliveries = new ArrayList<>();
    List<String> alertIds = new ArrayList<>();
    for (OpsAlert alert : alerts) {
      deliveries.add(Async.procedure(delivery::emailOpsAlert, alert));
      alertIds.add(alert.alertId());
      deliveries.add(Async.procedure(delivery::postOpsAlertToWebhook, alert));
      alertIds.add(alert.alertId());
    }
    int made = 0;
    for (int i = 0; i < deliveries.size(); i++) {
      try {
        deliveries.get(i).get();
        made++;
      } catch (ActivityFailure gaveUp) {
        log.warn("alert {}: a delivery gave up; the next check sends it again", alertIds.get(i));
      }
    }
    return made;
  }
}
