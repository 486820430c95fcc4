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
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mockito.stubbing.OngoingStubbing;

class CompanyNoticeWorkflowTest {

  private static final InMemoryJobLedger ledger = new InMemoryJobLedger();

  @RegisterExtension
  static final TestWorkflowExtension testWorkflow =
      TestWorkflowExtension.newBuilder()
          .setWorkerFactoryOptions(
              WorkerFactoryOptions.newBuilder()
                  .setWorkerInterceptors(new JobLedgerWorkerInterceptor(ledger))
                  .build())
          .registerWorkflowImplementationTypes(CompanyNoticeWorkflowImpl.class)
          .setDoNotStart(true)
          .build();

  private final CompanyNoticeActivities activities =
      mock(CompanyNoticeActivities.class, withSettings().withoutAnnotations());
  private final CompanyNoticeRequest request =
      CompanyNoticeRequest.of("ban-job-1", 101, EmailTemplate.COMPANY_BANNED, "fraud");

  private TestWorkflowEnvironment env;

  @BeforeEach
  void registerActivities(TestWorkflowEnvironment env, Worker worker) {
    this.env = env;
    worker.registerActivitiesImplementations(activities, ledger);
    env.start();
  }

  @Test
  void theNoticeOfAModerationJobHasAnIdOfItsOwnDerivedFromThatJob() {
    assertThat(request.jobId())
        .isEqualTo(
            CompanyNoticeRequest.of("ban-job-1", 101, EmailTemplate.COMPANY_BANNED, "x").jobId())
        .isNotEqualTo(
            CompanyNoticeRequest.of("ban-job-2", 101, EmailTemplate.COMPANY_BANNED, "x").jobId());
    assertThat(request.moderationJobId()).isEqualTo("ban-job-1");
    assertThat(request.template()).isEqualTo("company_banned");
  }

  @Test
  void aMailgunOutageOfAnHourIsRiddenOut(CompanyNoticeWorkflow workflow) {
    OngoingStubbing<String> sends = when(activities.sendCompanyNotice(any()));
    for (int failed = 1; failed <= 14; failed++) {
      sends = sends.thenThrow(unavailable());
    }
    sends.thenReturn("<msg-1@mg.test>");
    long before = env.currentTimeMillis();

    assertThat(workflow.send(request)).isEqualTo("<msg-1@mg.test>");

    long waited = env.currentTimeMillis() - before;
    assertThat(Duration.ofMillis(waited)).isGreaterThan(Duration.ofMinutes(60));
    InMemoryJobLedger.Row row = ledger.row(workflowId(workflow));
    assertThat(row.status).isEqualTo("COMPLETED");
    assertThat(row.attempts).isEqualTo(15);
  }

  @Test
  void aPermanentRefusalFailsTheNoticeAtOnceWithTheProvidersError(CompanyNoticeWorkflow workflow) {
    when(activities.sendCompanyNotice(any()))
        .thenThrow(
            ApplicationFailure.newNonRetryableFailure(
                "Mailgun refused the email (HTTP 400)", FailureType.PROVIDER_REJECTED.name()));

    assertThatThrownBy(() -> workflow.send(request)).isInstanceOf(WorkflowFailedException.class);

    verify(activities, times(1)).sendCompanyNotice(any());
    InMemoryJobLedger.Row row = ledger.row(workflowId(workflow));
    assertThat(row.status).isEqualTo("FAILED");
    assertThat(row.errorType).isEqualTo(FailureType.PROVIDER_REJECTED.name());
  }

  private static ApplicationFailure unavailable() {
    return ApplicationFailure.newFailure(
        "Mailgun unavailable (HTTP 503)", FailureType.PROVIDER_UNAVAILABLE.name());
  }

  private static String workflowId(CompanyNoticeWorkflow workflow) {
    return WorkflowStub.fromTyped(workflow).getExecution().getWorkflowId();
  }
}
