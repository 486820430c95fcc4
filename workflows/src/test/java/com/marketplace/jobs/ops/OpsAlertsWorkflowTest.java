package com.marketplace.jobs.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.marketplace.jobs.common.FailureType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The alerts check on the time-skipping test server, over an in-memory alerts table and channels:
 * every claimed alert goes out once by email and once to the webhook; a failing webhook is retried
 * until it answers; one that never does leaves its alert unsent for the next check, without holding
 * back the other alerts or failing the check.
 */
class OpsAlertsWorkflowTest {

  /** The alerts table and both channels, in memory; channels fail as the test plans. */
  static final class InMemoryAlerts implements OpsAlertActivities {
    final List<OpsAlert> unsent = new CopyOnWriteArrayList<>();
    final List<String> emailed = new CopyOnWriteArrayList<>();
    final List<String> posted = new CopyOnWriteArrayList<>();
    final Map<String, AtomicInteger> webhookFailuresLeft = new ConcurrentHashMap<>();
    final AtomicInteger webhookCalls = new AtomicInteger();

    @Override
    public List<OpsAlert> claimOpsAlerts(int limit) {
      List<OpsAlert> owed = new ArrayList<>();
      for (OpsAlert alert : unsent) {
        if (!emailed.contains(alert.alertId()) || !posted.contains(alert.alertId())) {
          owed.add(alert);
        }
      }
      return owed;
    }

    @Override
    public void emailOpsAlert(OpsAlert alert) {
      if (!emailed.contains(alert.alertId())) {
        emailed.add(alert.alertId());
      }
    }

    @Override
    public void postOpsAlertToWebhook(OpsAlert alert) {
      webhookCalls.incrementAndGet();
      AtomicInteger left = webhookFailuresLeft.get(alert.alertId());
      if (left != null && left.getAndDecrement() > 0) {
        throw ApplicationFailure.newFailure(
            "Alert webhook answered HTTP 503", FailureType.PROVIDER_UNAVAILABLE.name());
      }
      if (!posted.contains(alert.alertId())) {
        posted.add(alert.alertId());
      }
    }
  }

  @RegisterExtension
  static final TestWorkflowExtension testWorkflow =
      TestWorkflowExtension.newBuilder()
          .registerWorkflowImplementationTypes(OpsAlertsWorkflowImpl.class)
          .setDoNotStart(true)
          .build();

  private final InMemoryAlerts alerts = new InMemoryAlerts();
  private String taskQueue;

  @BeforeEach
  void registerActivities(TestWorkflowEnvironment env, Worker worker) {
    taskQueue = worker.getTaskQueue();
    worker.registerActivitiesImplementations(alerts);
    env.start();
  }

  private int check(WorkflowClient client) {
    return client
        .newWorkflowStub(
            OpsAlertsWorkflow.class, WorkflowOptions.newBuilder().setTaskQueue(taskQueue).build())
        .checkOpsAlerts();
  }

  private static OpsAlert failed(String alertId, String jobId) {
    return new OpsAlert(
        alertId,
        AlertCondition.JOB_FAILED,
        jobId + "/run-1",
        jobId,
        "notification",
        "failed after 4 attempts",
        "PROVIDER_UNAVAILABLE",
        "Mailgun answered HTTP 503",
        "http://ops.test/ops/jobs/" + jobId);
  }

  @Test
  void everyClaimedAlertIsEmailedAndPostedOnceAndALaterCheckSendsNothingAgain(
      WorkflowClient client) {
    alerts.unsent.add(failed("alert-1", "job-1"));
    alerts.unsent.add(failed("alert-2", "job-2"));

    int first = check(client);
    int second = check(client);

    assertThat(first).isEqualTo(4);
    assertThat(second).isZero();
    assertThat(alerts.emailed).containsExactlyInAnyOrder("alert-1", "alert-2");
    assertThat(alerts.posted).containsExactlyInAnyOrder("alert-1", "alert-2");
  }

  @Test
  void aWebhookThatFailsIsRetriedUntilItAnswers(WorkflowClient client) {
    alerts.unsent.add(failed("alert-3", "job-3"));
    alerts.webhookFailuresLeft.put("alert-3", new AtomicInteger(3));

    int made = check(client);

    assertThat(made).isEqualTo(2);
    assertThat(alerts.posted).containsExactly("alert-3");
    assertThat(alerts.webhookCalls.get()).isEqualTo(4);
  }

  @Test
  void aWebhookThatNeverAnswersLeavesItsAlertForTheNextCheckAndTheOthersGoOut(
      WorkflowClient client) {
    alerts.unsent.add(failed("alert-4", "job-4"));
    alerts.unsent.add(failed("alert-5", "job-5"));
    alerts.webhookFailuresLeft.put(
        "alert-4", new AtomicInteger(OpsAlertsWorkflowImpl.DELIVERY_RETRY.getMaximumAttempts()));

    int first = check(client);

    assertThat(first).isEqualTo(3);
    assertThat(alerts.emailed).containsExactlyInAnyOrder("alert-4", "alert-5");
    assertThat(alerts.posted).containsExactly("alert-5");

    int next = check(client);

    assertThat(next).isEqualTo(2);
    assertThat(alerts.posted).containsExactlyInAnyOrder("alert-4", "alert-5");
    assertThat(alerts.emailed).as("the email already sent is not sent again").hasSize(2);
  }
}
