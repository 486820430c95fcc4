package com.marketplace.jobs.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import com.marketplace.jobs.common.FailureType;
import com.marketplace.jobs.ledger.InMemoryJobLedger;
import com.marketplace.jobs.ledger.JobLedgerWorkerInterceptor;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactoryOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mockito.ArgumentCaptor;

/**
 * The payment workflow on Temporal's time-skipping test server, with the production retry options
 * and mocked activities: the 15-minute budget, failing at once on a refusal, the finance alert.
 */
class PaymentEventWorkflowTest {

  private static final Duration BUDGET = Duration.ofMinutes(15);
  private static final String PI = "pi_3Budget";

  private static final InMemoryJobLedger ledger = new InMemoryJobLedger();

  @RegisterExtension
  static final TestWorkflowExtension testWorkflow =
      TestWorkflowExtension.newBuilder()
          .setWorkerFactoryOptions(
              WorkerFactoryOptions.newBuilder()
                  .setWorkerInterceptors(new JobLedgerWorkerInterceptor(ledger))
                  .build())
          .registerWorkflowImplementationTypes(PaymentEventWorkflowImpl.class)
          .setDoNotStart(true)
          .build();

  private final PaymentActivities activities =
      mock(PaymentActivities.class, withSettings().withoutAnnotations());
  private final List<Long> captureAttemptsAt = new ArrayList<>();
  private final List<Long> alertsAt = new ArrayList<>();
  private TestWorkflowEnvironment env;

  @BeforeEach
  void registerActivities(TestWorkflowEnvironment env, Worker worker) {
    this.env = env;
    worker.registerActivitiesImplementations(activities, ledger);
    doAnswer(
            call -> {
              alertsAt.add(env.currentTimeMillis());
              return null;
            })
        .when(activities)
        .alertFinance(any());
    env.start();
  }

  private static PaymentEvent event(String type) {
    return new PaymentEvent(
        "job-" + type, "evt_1", type, 1767225600L, PI, null, 1042L, 12900L, 0L, "eur", null, null);
  }

  private static PaymentEvent authorization() {
    return event("payment_intent.amount_capturable_updated");
  }

  private static ApplicationFailure unavailable() {
    return ApplicationFailure.newFailure(
        "Stripe answered HTTP 503 to the capture of " + PI,
        FailureType.PROVIDER_UNAVAILABLE.name());
  }

  private void recorded(PaymentStatus status) {
    when(activities.recordEvent(any())).thenReturn(new PaymentState(PI, 1042L, status, false));
  }

  /** Each capture attempt notes the (skipped) workflow time it ran at. */
  private void captureFailsThenSucceeds(int failures) {
    when(activities.capture(any()))
        .thenAnswer(
            call -> {
              captureAttemptsAt.add(env.currentTimeMillis());
              if (captureAttemptsAt.size() <= failures) {
                throw unavailable();
              }
              return new PaymentState(PI, 1042L, PaymentStatus.SUCCEEDED, true);
            });
  }

  private static String workflowId(PaymentEventWorkflow workflow) {
    return WorkflowStub.fromTyped(workflow).getExecution().getWorkflowId();
  }

  @Test
  void threeTransientFailuresThenSuccessIsCapturedWithinFifteenMinutesOfTheEvent(
      PaymentEventWorkflow workflow) {
    recorded(PaymentStatus.AUTHORIZED);
    captureFailsThenSucceeds(3);
    long eventAt = env.currentTimeMillis();

    PaymentState state = workflow.process(authorization());

    long capturedAfter = captureAttemptsAt.get(3) - eventAt;
    assertThat(state.status()).isEqualTo(PaymentStatus.SUCCEEDED);
    assertThat(captureAttemptsAt).hasSize(4);
    assertThat(Duration.ofMillis(capturedAfter))
        .as("the fourth attempt, after 90 s + 3 min + 6 min of backoff")
        .isGreaterThanOrEqualTo(Duration.ofSeconds(630))
        .isLessThan(BUDGET);
    verify(activities, never()).alertFinance(any());
    InMemoryJobLedger.Row row = ledger.row(workflowId(workflow));
    assertThat(row.status).isEqualTo("COMPLETED");
    assertThat(row.attempts).as("record + 4 capture attempts").isEqualTo(5);
  }

  @Test
  void captureRequestsCarryTheIntentsIdempotencyKeyOnEveryAttempt(PaymentEventWorkflow workflow) {
    recorded(PaymentStatus.AUTHORIZED);
    captureFailsThenSucceeds(2);

    workflow.process(authorization());

    ArgumentCaptor<CaptureRequest> requests = ArgumentCaptor.forClass(CaptureRequest.class);
    verify(activities, times(3)).capture(requests.capture());
    assertThat(requests.getAllValues())
        .containsOnly(
            new CaptureRequest(
                "job-payment_intent.amount_capturable_updated", PI, "capture-" + PI));
  }

  @Test
  void whenEveryRetryFailsTheJobFailsWithinTheBudgetAndFinanceIsAlertedOnce(
      PaymentEventWorkflow workflow) {
    recorded(PaymentStatus.AUTHORIZED);
    when(activities.capture(any())).thenThrow(unavailable());
    long eventAt = env.currentTimeMillis();

    assertThatThrownBy(() -> workflow.process(authorization()))
        .isInstanceOf(WorkflowFailedException.class);

    assertThat(Duration.ofMillis(alertsAt.get(0) - eventAt))
        .as("the alert, after 4 failed attempts")
        .isGreaterThanOrEqualTo(Duration.ofSeconds(630))
        .isLessThan(BUDGET);
    verify(activities, times(4)).capture(any());
    ArgumentCaptor<PaymentAlert> alert = ArgumentCaptor.forClass(PaymentAlert.class);
    verify(activities, times(1)).alertFinance(alert.capture());
    assertThat(alert.getValue())
        .isEqualTo(
            new PaymentAlert(
                "job-payment_intent.amount_capturable_updated",
                "evt_1",
                "payment_intent.amount_capturable_updated",
                PI,
                1042L,
                "PROVIDER_UNAVAILABLE",
                "Stripe answered HTTP 503 to the capture of " + PI));
    InMemoryJobLedger.Row row = ledger.row(workflowId(workflow));
    assertThat(row.status).isEqualTo("FAILED");
    assertThat(row.resolution).isEqualTo("UNRESOLVED");
    assertThat(row.errorType).isEqualTo("PROVIDER_UNAVAILABLE");
  }

  @Test
  void aRefusalFromStripeFailsAtOnceWithOneAlert(PaymentEventWorkflow workflow) {
    recorded(PaymentStatus.AUTHORIZED);
    when(activities.capture(any()))
        .thenThrow(
            ApplicationFailure.newNonRetryableFailure(
                "Stripe refused the capture of "
                    + PI
                    + ": HTTP 400 (payment_intent_unexpected_state)",
                FailureType.PROVIDER_REJECTED.name()));
    long eventAt = env.currentTimeMillis();

    assertThatThrownBy(() -> workflow.process(authorization()))
        .isInstanceOf(WorkflowFailedException.class);

    assertThat(Duration.ofMillis(alertsAt.get(0) - eventAt))
        .as("no backoff for a refusal")
        .isLessThan(Duration.ofSeconds(60));
    verify(activities, times(1)).capture(any());
    verify(activities, times(1)).alertFinance(any());
    InMemoryJobLedger.Row row = ledger.row(workflowId(workflow));
    assertThat(row.status).isEqualTo("FAILED");
    assertThat(row.errorType).isEqualTo("PROVIDER_REJECTED");
  }

  @Test
  void eventsOtherThanAnAuthorizationAreRecordedWithoutACapture(PaymentEventWorkflow workflow) {
    recorded(PaymentStatus.SUCCEEDED);

    PaymentState state = workflow.process(event("charge.succeeded"));

    assertThat(state.status()).isEqualTo(PaymentStatus.SUCCEEDED);
    verify(activities).recordEvent(event("charge.succeeded"));
    verify(activities, never()).capture(any());
    assertThat(ledger.row(workflowId(workflow)).status).isEqualTo("COMPLETED");
  }

  @Test
  void anAuthorizationOfAnAlreadyCollectedPaymentIsNotCaptured(PaymentEventWorkflow workflow) {
    recorded(PaymentStatus.SUCCEEDED);

    workflow.process(authorization());

    verify(activities, never()).capture(any());
  }
}
