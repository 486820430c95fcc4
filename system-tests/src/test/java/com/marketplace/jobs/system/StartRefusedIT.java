package com.marketplace.jobs.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A job whose workflow input Temporal refuses for good: the relay tries it {@code
 * jobs.relay.max-refused-starts} times (3), then the job is FAILED with START_REFUSED instead of
 * being retried forever; no workflow exists for it and no email went out.
 */
class StartRefusedIT extends StackTest {

  /** Over the Temporal server's blob size limit for a workflow input (2 MB). */
  private static final int THREE_MB = 3 * 1024 * 1024;

  @Test
  void aNotificationWhoseInputIsOverTemporalsBlobLimitFailsWithStartRefusedAndSendsNothing() {
    String jobId = UUID.randomUUID().toString();
    String workflowId = "notification-" + jobId;
    String campaign = "x".repeat(THREE_MB);
    // The row the intake writes for POST /api/notifications, with a 3 MB params value (the api's
    // own body limit may keep such a request out; the relay must cope with any accepted row).
    sql.update(
        """
        INSERT INTO jobs (id, type, status, priority, workflow_id, workflow_type, task_queue,
                          payload, content_hash, tenant_id)
        VALUES (?::uuid, 'notification', 'PENDING', 2, ?, 'NotificationWorkflow',
                'background-jobs', CAST(? AS jsonb), ?, 1)
        """,
        jobId,
        workflowId,
        """
        {"customerId": 1, "jobId": "%s", "params": {"campaign": "%s"}, "template": "welcome"}
        """
            .formatted(jobId, campaign),
        "start-refused-" + jobId);
    sql.update("NOTIFY jobs_pending");

    JsonNode job = awaitFinished(jobId, Duration.ofSeconds(60));

    assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("FAILED");
    assertThat(job.path("resolution").asText()).isEqualTo("UNRESOLVED");
    assertThat(job.path("finishedAt").isMissingNode()).isFalse();
    assertThat(job.path("attempts").asInt()).isZero();
    JsonNode error = job.path("lastError");
    assertThat(error.path("type").asText()).isEqualTo("START_REFUSED");
    assertThat(error.path("message").asText())
        .startsWith("Temporal refused to start the workflow: INVALID_ARGUMENT")
        .contains("Blob data size exceeds limit")
        .doesNotContain("xxxx");
    assertThat(jobRow(jobId).get("relay_refused_starts")).isEqualTo(3);

    WorkflowClient temporal = temporalClient();
    try {
      assertThatThrownBy(
              () ->
                  temporal
                      .getWorkflowServiceStubs()
                      .blockingStub()
                      .describeWorkflowExecution(
                          DescribeWorkflowExecutionRequest.newBuilder()
                              .setNamespace("default")
                              .setExecution(
                                  WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                              .build()))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    } finally {
      temporal.getWorkflowServiceStubs().shutdown();
    }
    assertThat(stack.mail().receivedForJob(jobId)).isEmpty();
  }
}
