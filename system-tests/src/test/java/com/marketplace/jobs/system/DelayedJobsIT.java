package com.marketplace.jobs.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.marketplace.jobs.devstack.MailgunSink;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Delayed jobs and cancellation through HTTP, on the real dev server: a notification due in 20 s
 * waits in Temporal (start delay) and is sent after its due time, never before; one cancelled while
 * it waits never runs; a running ban cancelled through the api rolls back and ends CANCELLED. (A
 * delayed job across a restart of the worker and the Temporal server: {@link DurabilityIT}.)
 */
class DelayedJobsIT extends StackTest {

  private static final long BIG_COMPANY = 101;

  /** A notification no other test sends, due {@code delaySeconds} from now. */
  private static String delayedWelcome(long customerId, int delaySeconds) {
    return uniqueWelcome(customerId)
        .strip()
        .replaceFirst("}$", ", \"delaySeconds\": " + delaySeconds + "}");
  }

  private WorkflowExecutionInfo describe(String workflowId) {
    WorkflowClient client = temporalClient();
    return client
        .getWorkflowServiceStubs()
        .blockingStub()
        .describeWorkflowExecution(
            DescribeWorkflowExecutionRequest.newBuilder()
                .setNamespace("default")
                .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                .build())
        .getWorkflowExecutionInfo();
  }

  private void awaitHandedToTemporal(String jobId) {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> jobRow(jobId).get("workflow_started_at") != null);
  }

  @Test
  void aJobDueIn20SecondsIsNotStartedBeforeAndIsSentOnceAfter() {
    JsonHttp.Response response = api.post("/api/notifications", delayedWelcome(42, 20));
    assertThat(response.status()).isEqualTo(202);
    JsonNode accepted = response.json();
    String jobId = accepted.path("jobId").asText();
    Instant dueAt = Instant.parse(accepted.path("dueAt").asText());
    assertThat(accepted.path("status").asText()).isEqualTo("PENDING");

    // Handed to Temporal at once, which holds its first task until the due time.
    awaitHandedToTemporal(jobId);
    WorkflowExecutionInfo waiting = describe(accepted.path("workflowId").asText());
    assertThat(waiting.getStatus())
        .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
    Instant executionTime =
        Instant.ofEpochSecond(
            waiting.getExecutionTime().getSeconds(), waiting.getExecutionTime().getNanos());
    assertThat(executionTime).isBetween(dueAt.minusSeconds(1), dueAt.plusSeconds(1));

    // Before the due time: PENDING with its due time, and no email.
    while (Instant.now().isBefore(dueAt.minusSeconds(1))) {
      JsonNode job = api.get("/api/jobs/" + jobId).json();
      assertThat(job.path("status").asText()).isEqualTo("PENDING");
      assertThat(Instant.parse(job.path("dueAt").asText())).isEqualTo(dueAt);
      assertThat(job.has("startedAt")).isFalse();
      assertThat(stack.mail().receivedForJob(jobId)).isEmpty();
      sleep(Duration.ofMillis(500));
    }

    JsonNode done = awaitFinished(jobId, Duration.ofSeconds(60));
    assertThat(done.path("status").asText()).isEqualTo("COMPLETED");
    assertThat(Instant.parse(done.path("startedAt").asText())).isAfterOrEqualTo(dueAt);
    List<MailgunSink.Received> sent = stack.mail().acceptedForJob(jobId);
    assertThat(sent).hasSize(1);
    assertThat(sent.get(0).at()).isAfterOrEqualTo(dueAt);
  }

  @Test
  void aJobCancelledWhileItWaitsNeverRunsEvenAfterItsDueTime() {
    JsonNode accepted = api.post("/api/notifications", delayedWelcome(7, 10)).json();
    String jobId = accepted.path("jobId").asText();
    String workflowId = accepted.path("workflowId").asText();
    Instant dueAt = Instant.parse(accepted.path("dueAt").asText());
    awaitHandedToTemporal(jobId);

    JsonHttp.Response cancelled = api.post("/api/jobs/" + jobId + "/cancel", "");

    assertThat(cancelled.status()).isEqualTo(200);
    assertThat(cancelled.json().path("status").asText()).isEqualTo("CANCELLED");
    assertThat(cancelled.json().path("cancelRequestedAt").asText()).isNotBlank();
    assertThat(describe(workflowId).getStatus())
        .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED);
    assertThat(api.post("/api/jobs/" + jobId + "/cancel", "").status())
        .as("cancelling twice is harmless")
        .isEqualTo(200);

    // Past the due time, and past a reconciler pass: still CANCELLED, never run, no email.
    sleep(Duration.between(Instant.now(), dueAt.plusSeconds(8)));
    JsonNode job = api.get("/api/jobs/" + jobId).json();
    assertThat(job.path("status").asText()).isEqualTo("CANCELLED");
    assertThat(job.path("attempts").asInt()).isZero();
    assertThat(job.has("startedAt")).isFalse();
    assertThat(stack.mail().receivedForJob(jobId)).isEmpty();
    assertThat(sql.count("SELECT count(*) FROM email_deliveries WHERE job_id = ?::uuid", jobId))
        .isZero();
  }

  @Test
  void aRunningBanCancelledThroughTheApiIsRolledBackAndEndsCancelled() {
    Snapshot before = snapshot(BIG_COMPANY);
    List<Long> listedBefore = stack.marketplace().listed(BIG_COMPANY);
    // The marketplace fails for now, so the ban retries its withdraw step while we cancel it.
    stack.marketplace().failAlways(503);
    String jobId;
    try {
      jobId =
          api.post("/api/companies/101/ban", BanReasons.body("Cancellation rehearsal"))
              .json()
              .path("jobId")
              .asText();
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> "PROVIDER_UNAVAILABLE".equals(jobRow(jobId).get("last_error_type")));
      assertThat(companyStatus(BIG_COMPANY)).isEqualTo("BANNED");

      JsonHttp.Response cancelling = api.post("/api/jobs/" + jobId + "/cancel", "");

      assertThat(cancelling.status()).isEqualTo(202);
      assertThat(cancelling.json().path("status").asText()).isEqualTo("PROCESSING");
      assertThat(cancelling.json().path("cancelRequestedAt").asText()).isNotBlank();
    } finally {
      // The rollback republishes the listings: the marketplace answers again.
      stack.marketplace().failAlways(0);
    }

    JsonNode done = awaitFinished(jobId, Duration.ofSeconds(90));
    assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("CANCELLED");
    assertThat(done.path("lastError").path("message").asText())
        .contains("was cancelled during step 'withdraw marketplace listings'")
        .contains("rolled back");
    assertThat(snapshot(BIG_COMPANY)).isEqualTo(before);
    assertThat(stack.marketplace().listed(BIG_COMPANY))
        .containsExactlyInAnyOrderElementsOf(listedBefore);
    assertThat(stack.mail().accepted()).as("no email about a ban that did not happen").isEmpty();
    JsonHttp.Response again = api.post("/api/jobs/" + jobId + "/cancel", "");
    assertThat(again.status()).isEqualTo(200);
  }

  private static void sleep(Duration duration) {
    if (duration.isNegative()) {
      return;
    }
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
