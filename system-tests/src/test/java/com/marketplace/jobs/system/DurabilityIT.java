package com.marketplace.jobs.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.marketplace.jobs.devstack.MailgunSink;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Crashes and outages: no job that got its 202 is lost, and none runs twice; a delayed job waits
 * through a restart of everything that holds it.
 */
class DurabilityIT extends StackTest {

  @Test
  void aJobSurvivesTheWorkerBeingKilledMidRetryAndSendsExactlyOneEmail() {
    stack.mail().failAlways(503);
    String jobId = api.post("/api/notifications", uniqueWelcome(4)).json().path("jobId").asText();
    await().atMost(Duration.ofSeconds(30)).until(() -> stack.mail().received().size() >= 2);

    stack.worker().kill();
    stack.mail().failAlways(0);
    assertThat(api.get("/api/jobs/" + jobId).json().path("status").asText())
        .isEqualTo("PROCESSING");
    stack.worker().start().awaitHealthy(Duration.ofMinutes(2));

    assertThat(awaitFinished(jobId, Duration.ofSeconds(90)).path("status").asText())
        .isEqualTo("COMPLETED");
    assertThat(stack.mail().acceptedForJob(jobId)).hasSize(1);
    assertThat(stack.mail().accepted()).hasSize(1);
    assertThat(sql.count("SELECT count(*) FROM email_deliveries WHERE job_id = ?::uuid", jobId))
        .isEqualTo(1);
  }

  @Test
  void triggersAreAcceptedWhileTemporalIsDownAndRunOnceItIsBack() {
    stack.temporal().stop();
    List<String> jobIds = new ArrayList<>();
    try {
      for (int i = 0; i < 10; i++) {
        JsonHttp.Response response = api.post("/api/notifications", uniqueWelcome(5));
        assertThat(response.status()).isEqualTo(202);
        jobIds.add(response.json().path("jobId").asText());
      }
      for (String jobId : jobIds) {
        assertThat(jobRow(jobId).get("status")).isEqualTo("PENDING");
        assertThat(jobRow(jobId).get("workflow_started_at")).isNull();
      }
    } finally {
      stack.temporal().start();
    }

    for (String jobId : jobIds) {
      assertThat(awaitFinished(jobId, Duration.ofSeconds(120)).path("status").asText())
          .isEqualTo("COMPLETED");
      assertThat(stack.mail().acceptedForJob(jobId)).hasSize(1);
    }
    assertThat(stack.mail().accepted()).hasSize(jobIds.size());
  }

  @Test
  void aDelayedJobWaitingThroughARestartOfTheWorkerAndTemporalRunsOnceAfterItsDueTime() {
    String body = uniqueWelcome(6).strip().replaceFirst("}$", ", \"delaySeconds\": 20}");
    JsonNode accepted = api.post("/api/notifications", body).json();
    String jobId = accepted.path("jobId").asText();
    Instant dueAt = Instant.parse(accepted.path("dueAt").asText());
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> jobRow(jobId).get("workflow_started_at") != null);

    // Everything that holds the job goes down while it waits; the ledger and Temporal's file stay.
    stack.worker().kill();
    stack.temporal().stop();
    stack.temporal().start();
    stack.worker().start().awaitHealthy(Duration.ofMinutes(2));

    JsonNode done = awaitFinished(jobId, Duration.ofSeconds(120));
    assertThat(done.path("status").asText()).isEqualTo("COMPLETED");
    assertThat(done.path("attempts").asInt()).isEqualTo(1);
    assertThat(Instant.parse(done.path("startedAt").asText())).isAfterOrEqualTo(dueAt);
    List<MailgunSink.Received> sent = stack.mail().acceptedForJob(jobId);
    assertThat(sent).hasSize(1);
    assertThat(sent.get(0).at()).isAfterOrEqualTo(dueAt);
    assertThat(stack.mail().receivedForJob(jobId)).as("one send, none before or after").hasSize(1);
  }
}
