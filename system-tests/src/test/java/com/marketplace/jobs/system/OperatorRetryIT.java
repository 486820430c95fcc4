package com.marketplace.jobs.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * What docs/operations.md tells an operator to do with the {@code temporal} CLI actually works
 * against the stack: find a failed job, reset its workflow, and the job runs again.
 */
class OperatorRetryIT extends StackTest {

  @Test
  void aFailedJobResetWithTheCliRunsAgainAndTheLedgerSaysRetried() throws Exception {
    stack.mail().failNext(1, 400);
    String jobId = api.post("/api/notifications", uniqueWelcome(3)).json().path("jobId").asText();
    JsonNode failed = awaitFinished(jobId, Duration.ofSeconds(30));
    assertThat(failed.path("status").asText()).isEqualTo("FAILED");
    String workflowId = failed.path("workflowId").asText();

    String listed =
        cli(
            "workflow",
            "list",
            "--query",
            "JobType=\"notification\" AND ExecutionStatus=\"Failed\" AND JobId=\"" + jobId + "\"");
    assertThat(listed).contains(workflowId);
    cli(
        "workflow",
        "reset",
        "--workflow-id",
        workflowId,
        "--type",
        "FirstWorkflowTask",
        "--reason",
        "Mailgun fixed");

    JsonNode retried = awaitFinished(jobId, Duration.ofSeconds(30));
    assertThat(retried.path("status").asText()).isEqualTo("COMPLETED");
    assertThat(retried.path("resolution").asText()).isEqualTo("RETRIED");
    assertThat(retried.path("runId").asText()).isNotEqualTo(failed.path("runId").asText());
    assertThat(stack.mail().acceptedForJob(jobId)).hasSize(1);
  }
}
