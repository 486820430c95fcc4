package com.marketplace.jobs.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.marketplace.jobs.devstack.LocalStack;
import com.marketplace.jobs.devstack.MailgunSink;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Email notifications through HTTP, the real dev server, real PostgreSQL and fake Mailgun. */
class NotificationJobIT extends StackTest {

  @Test
  void acceptedWith202ThenCompletedWithExactlyOneCorrectMailgunRequest() {
    JsonHttp.Response response =
        api.post(
            "/api/notifications",
            """
            {"customerId": 42, "template": "order_confirmation",
             "params": {"orderId": "A-%s", "vehicleName": "VW Golf"}}
            """
                .formatted(UUID.randomUUID()));

    assertThat(response.status()).isEqualTo(202);
    JsonNode accepted = response.json();
    String jobId = accepted.path("jobId").asText();
    assertThat(accepted.path("workflowId").asText()).isEqualTo("notification-" + jobId);
    assertThat(accepted.path("status").asText()).isEqualTo("PENDING");
    assertThat(accepted.path("statusUrl").asText()).isEqualTo("/api/jobs/" + jobId);
    assertThat(response.header("Location")).isEqualTo("/api/jobs/" + jobId);

    JsonNode job = awaitFinished(jobId, Duration.ofSeconds(30));
    assertThat(job.path("status").asText()).isEqualTo("COMPLETED");
    assertThat(job.path("attempts").asInt()).isEqualTo(1);
    assertThat(job.path("priority").asText()).isEqualTo("CUSTOMER_FACING");
    assertThat(job.path("runId").asText()).isNotBlank();
    assertThat(job.path("startedAt").asText()).isNotBlank();
    assertThat(job.path("finishedAt").asText()).isNotBlank();

    List<MailgunSink.Received> sent = stack.mail().receivedForJob(jobId);
    assertThat(sent).hasSize(1);
    MailgunSink.Received request = sent.get(0);
    assertThat(request.path()).isEqualTo("/v3/" + LocalStack.MAIL_DOMAIN + "/messages");
    assertThat(request.authorization())
        .isEqualTo(
            "Basic "
                + Base64.getEncoder()
                    .encodeToString(
                        ("api:" + LocalStack.MAIL_API_KEY).getBytes(StandardCharsets.UTF_8)));
    Map<String, String> form = request.form();
    assertThat(form.get("to")).isEqualTo("jamila.doe@example.com");
    assertThat(form.get("from")).isEqualTo("Rentals <no-reply@" + LocalStack.MAIL_DOMAIN + ">");
    assertThat(form.get("subject")).startsWith("Your order A-").endsWith(" is confirmed");
    assertThat(form.get("text")).contains("Hi Jamila,").contains("VW Golf");
    assertThat(form.get("html")).contains("<p>Hi Jamila,</p>");
    assertThat(form.get("v:job-id")).isEqualTo(jobId);
    assertThat(form.get("o:tag")).isEqualTo("order_confirmation");

    List<Map<String, Object>> deliveries =
        sql.rows("SELECT * FROM email_deliveries WHERE job_id = ?::uuid", jobId);
    assertThat(deliveries).hasSize(1);
    assertThat(deliveries.get(0).get("provider_message_id")).isEqualTo(request.messageId());
    assertThat(deliveries.get(0).get("customer_id")).isEqualTo(42L);
  }

  @Test
  void mailgunsAnswerArrivingAfterTheAttemptTimedOutGivesOneEmailAndACompletedJob() {
    // The sink accepts the message when it arrives and answers 35 s later: past the client's read
    // deadline (8 s) and the attempt's start-to-close (30 s). The retry finds the accepted event.
    stack.mail().delayNext(1, Duration.ofSeconds(35));

    String jobId = api.post("/api/notifications", uniqueWelcome(3)).json().path("jobId").asText();

    JsonNode job = awaitFinished(jobId, Duration.ofSeconds(60));
    assertThat(job.path("status").asText()).isEqualTo("COMPLETED");
    assertThat(job.path("attempts").asInt()).isEqualTo(2);
    assertThat(stack.mail().receivedForJob(jobId)).as("one send, none after it").hasSize(1);
    List<MailgunSink.Received> accepted = stack.mail().acceptedForJob(jobId);
    assertThat(accepted).hasSize(1);
    assertThat(stack.mail().eventQueries())
        .as("the retry asked Mailgun's events about the job")
        .anySatisfy(
            query ->
                assertThat(query.parameters())
                    .containsEntry("event", "accepted")
                    .containsEntry("user-variables", "{\"job-id\":\"" + jobId + "\"}"));
    List<Map<String, Object>> deliveries =
        sql.rows("SELECT * FROM email_deliveries WHERE job_id = ?::uuid", jobId);
    assertThat(deliveries).hasSize(1);
    assertThat(deliveries.get(0).get("provider_message_id")).isEqualTo(accepted.get(0).messageId());
  }

  @Test
  void theSameIdempotencyKeyGivesOneJobAndOneEmail() {
    String body = uniqueWelcome(5);
    Map<String, String> key = Map.of("Idempotency-Key", "order-" + UUID.randomUUID());

    JsonHttp.Response first = api.post("/api/notifications", body, key);
    JsonHttp.Response second = api.post("/api/notifications", body, key);

    assertThat(first.status()).isEqualTo(202);
    assertThat(second.status()).isEqualTo(202);
    String jobId = first.json().path("jobId").asText();
    assertThat(second.json().path("jobId").asText()).isEqualTo(jobId);
    assertThat(second.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(awaitFinished(jobId, Duration.ofSeconds(30)).path("status").asText())
        .isEqualTo("COMPLETED");
    JsonHttp.Response afterCompletion = api.post("/api/notifications", body, key);
    assertThat(afterCompletion.json().path("jobId").asText()).isEqualTo(jobId);
    assertThat(afterCompletion.json().path("status").asText()).isEqualTo("COMPLETED");

    assertThat(stack.mail().accepted()).hasSize(1);
    assertThat(
            sql.count(
                "SELECT count(*) FROM jobs WHERE idempotency_key = ?",
                key.values().iterator().next()))
        .isEqualTo(1);
  }

  @Test
  void theSameContentWithinTheWindowGivesOneJobAndOneEmail() {
    String body = uniqueWelcome(6);

    String first = api.post("/api/notifications", body).json().path("jobId").asText();
    JsonHttp.Response second = api.post("/api/notifications", body);

    assertThat(second.status()).isEqualTo(202);
    assertThat(second.json().path("jobId").asText()).isEqualTo(first);
    assertThat(second.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(awaitFinished(first, Duration.ofSeconds(30)).path("status").asText())
        .isEqualTo("COMPLETED");
    assertThat(stack.mail().accepted()).hasSize(1);
    assertThat(
            sql.count(
                "SELECT count(*) FROM jobs WHERE payload->'params'->>'campaign' = ?",
                campaignOf(body)))
        .isEqualTo(1);
  }

  @Test
  void anIdempotencyKeyReusedForOtherContentIsRefusedWith422() {
    Map<String, String> key = Map.of("Idempotency-Key", "k-" + UUID.randomUUID());
    String jobId =
        api.post("/api/notifications", uniqueWelcome(7), key).json().path("jobId").asText();

    JsonHttp.Response reused = api.post("/api/notifications", uniqueWelcome(7), key);

    assertThat(reused.status()).isEqualTo(422);
    assertThat(reused.header("Content-Type")).startsWith("application/problem+json");
    assertThat(reused.json().path("jobId").asText()).isEqualTo(jobId);
    assertThat(
            sql.count(
                "SELECT count(*) FROM jobs WHERE idempotency_key = ?",
                key.values().iterator().next()))
        .isEqualTo(1);
  }

  @Test
  void transientMailgunFailuresAreRetriedAndTheLedgerCountsTheAttempts() {
    stack.mail().failNext(1, 503);
    stack.mail().failNext(1, 429);
    stack.mail().failNext(1, 500);

    String jobId = api.post("/api/notifications", uniqueWelcome(1)).json().path("jobId").asText();

    JsonNode job = awaitFinished(jobId, Duration.ofSeconds(60));
    assertThat(job.path("status").asText()).isEqualTo("COMPLETED");
    assertThat(job.path("attempts").asInt()).isEqualTo(4);
    assertThat(stack.mail().received()).hasSize(4);
    assertThat(stack.mail().accepted()).hasSize(1);
  }

  @Test
  void aMailgun4xxOtherThan429FailsAtOnceWithoutPersonalDataInTheError() {
    stack.mail().failNext(1, 400);

    String jobId = api.post("/api/notifications", uniqueWelcome(2)).json().path("jobId").asText();

    JsonNode job = awaitFinished(jobId, Duration.ofSeconds(30));
    assertThat(job.path("status").asText()).isEqualTo("FAILED");
    assertThat(job.path("attempts").asInt()).isEqualTo(1);
    assertThat(job.path("resolution").asText()).isEqualTo("UNRESOLVED");
    assertThat(job.path("lastError").path("type").asText()).isEqualTo("PROVIDER_REJECTED");
    assertThat(job.path("lastError").path("message").asText())
        .isEqualTo("Mailgun refused the message: HTTP 400")
        .doesNotContain("@");
    assertThat(stack.mail().received()).hasSize(1);
  }

  @Test
  void mailgunFailingEveryAttemptFailsTheJobAfterFourAttempts() {
    stack.mail().failAlways(503);

    String jobId = api.post("/api/notifications", uniqueWelcome(3)).json().path("jobId").asText();

    JsonNode job = awaitFinished(jobId, Duration.ofSeconds(60));
    assertThat(job.path("status").asText()).isEqualTo("FAILED");
    assertThat(job.path("attempts").asInt()).isEqualTo(4);
    assertThat(job.path("lastError").path("type").asText()).isEqualTo("PROVIDER_UNAVAILABLE");
    assertThat(job.path("lastError").path("message").asText())
        .isEqualTo("Mailgun answered HTTP 503");
    assertThat(stack.mail().received()).hasSize(4);
    assertThat(stack.mail().accepted()).isEmpty();
  }

  @Test
  void jobsCanBeListedFilteredPagedAndCounted() {
    String a = api.post("/api/notifications", uniqueWelcome(4)).json().path("jobId").asText();
    String b = api.post("/api/notifications", uniqueWelcome(4)).json().path("jobId").asText();
    awaitFinished(a, Duration.ofSeconds(30));
    awaitFinished(b, Duration.ofSeconds(30));

    JsonNode firstPage = api.get("/api/jobs?type=notification&status=COMPLETED&limit=1").json();
    assertThat(firstPage.path("jobs")).hasSize(1);
    assertThat(firstPage.path("jobs").get(0).path("jobId").asText()).isEqualTo(b);
    String next = firstPage.path("nextBefore").asText();
    assertThat(next).isEqualTo(b);
    JsonNode secondPage =
        api.get("/api/jobs?type=notification&status=COMPLETED&limit=1&before=" + next).json();
    assertThat(secondPage.path("jobs").get(0).path("jobId").asText()).isEqualTo(a);

    JsonNode stats = api.get("/api/jobs/stats").json();
    long completed =
        sql.count("SELECT count(*) FROM jobs WHERE type = 'notification' AND status = 'COMPLETED'");
    assertThat(stats.path("byType").path("notification").path("COMPLETED").asLong())
        .isEqualTo(completed);
    assertThat(stats.path("byStatus").path("COMPLETED").asLong()).isGreaterThanOrEqualTo(completed);
    assertThat(stats.path("byStatus").has("PENDING")).isTrue();
    assertThat(stats.path("total").asLong()).isEqualTo(sql.count("SELECT count(*) FROM jobs"));
  }

  private static String campaignOf(String body) {
    return body.replaceAll("(?s).*\"campaign\": \"([^\"]+)\".*", "$1");
  }

  @Test
  void workflowsCarryTheJobSearchAttributes() {
    String jobId = api.post("/api/notifications", uniqueWelcome(6)).json().path("jobId").asText();
    awaitFinished(jobId, Duration.ofSeconds(30));

    long found =
        temporalClient()
            .countWorkflows(
                "JobType = 'notification' AND JobId = '" + jobId + "' AND TenantId = '2'")
            .getCount();
    assertThat(found).isEqualTo(1);
  }
}
