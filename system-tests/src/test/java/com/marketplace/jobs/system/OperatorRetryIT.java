package com.marketplace.jobs.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
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

  private String cli(String... args) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of(stack.temporal().binary().toString()));
    command.addAll(List.of(args));
    command.addAll(List.of("--address", stack.temporal().target(), "--namespace", "default"));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    return output;
  }
}
