package com.marketplace.jobs.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
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
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class NotificationWorkflowTest {

  private static final InMemoryJobLedger ledger = new InMemoryJobLedger();

  @RegisterExtension
  static final TestWorkflowExtension testWorkflow =
      TestWorkflowExtension.newBuilder()
          .setWorkerFactoryOptions(
              WorkerFactoryOptions.newBuilder()
                  .setWorkerInterceptors(new JobLedgerWorkerInterceptor(ledger))
                  .build())
          .registerWorkflowImplementationTypes(NotificationWorkflowImpl.class)
          .setDoNotStart(true)
          .build();

  private final NotificationActivities activities =
      mock(NotificationActivities.class, withSettings().withoutAnnotations());
  private final NotificationRequest request =
      new NotificationRequest("job-1", 42L, "welcome", Map.of());

  @BeforeEach
  void registerActivities(TestWorkflowEnvironment env, Worker worker) {
    worker.registerActivitiesImplementations(activities, ledger);
    env.start();
  }

  @Test
  void succeedsOnTheFourthAttemptAndTheLedgerShowsFourAttempts(NotificationWorkflow workflow) {
    when(activities.deliverEmail(any()))
        .thenThrow(unavailable())
        .thenThrow(unavailable())
        .thenThrow(unavailable())
        .thenReturn(new DeliveryReceipt("job-1", "<msg-1@mg.test>"));

    DeliveryReceipt receipt = workflow.send(request);

    assertThat(receipt.providerMessageId()).isEqualTo("<msg-1@mg.test>");
    InMemoryJobLedger.Row row = ledger.row(workflowId(workflow));
    assertThat(row.status).isEqualTo("COMPLETED");
    assertThat(row.attempts).isEqualTo(4);
    assertThat(row.runId).isNotBlank();
  }

  @Test
  void failsAfterFourAttemptsWithTheErrorInTheLedger(NotificationWorkflow workflow) {
    when(activities.deliverEmail(any())).thenThrow(unavailable());

    assertThatThrownBy(() -> workflow.send(request)).isInstanceOf(WorkflowFailedException.class);

    verify(activities, times(4)).deliverEmail(any());
    InMemoryJobLedger.Row row = ledger.row(workflowId(workflow));
    assertThat(row.status).isEqualTo("FAILED");
    assertThat(row.resolution).isEqualTo("UNRESOLVED");
    assertThat(row.attempts).isEqualTo(4);
    assertThat(row.errorType).isEqualTo(FailureType.PROVIDER_UNAVAILABLE.name());
    assertThat(row.errorMessage).isEqualTo("Mailgun answered HTTP 503");
  }

  @Test
  void aNonRetryableFailureFailsAfterOneAttempt(NotificationWorkflow workflow) {
    when(activities.deliverEmail(any()))
        .thenThrow(
            ApplicationFailure.newNonRetryableFailure(
                "Mailgun refused the message: HTTP 400", FailureType.PROVIDER_REJECTED.name()));

    assertThatThrownBy(() -> workflow.send(request)).isInstanceOf(WorkflowFailedException.class);

    verify(activities, times(1)).deliverEmail(any());
    InMemoryJobLedger.Row row = ledger.row(workflowId(workflow));
    assertThat(row.status).isEqualTo("FAILED");
    assertThat(row.attempts).isEqualTo(1);
    assertThat(row.errorType).isEqualTo(FailureType.PROVIDER_REJECTED.name());
  }

  private static ApplicationFailure unavailable() {
    return ApplicationFailure.newFailure(
        "Mailgun answered HTTP 503", FailureType.PROVIDER_UNAVAILABLE.name());
  }

  private static String workflowId(NotificationWorkflow workflow) {
    return WorkflowStub.fromTyped(workflow).getExecution().getWorkflowId();
  }
}
