package com.marketplace.jobs.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.marketplace.jobs.devstack.LocalStack;
import com.marketplace.jobs.security.tokens.TriggerToken;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Trigger tokens on the running api, as a system calling it meets them: a token signed with the
 * next key runs the job to the end; a call without a token, with a token for another body or
 * without the scope is refused with a problem, a security-log row and no job; Actuator answers
 * health to anyone but its details and metrics only to a token holder. (Every other kind of bad
 * token: TriggerAuthTest.)
 */
class TriggerAuthIT extends StackTest {

  private static final String NEXT_KEY = LocalStack.TOKEN_KEYS.get(1);

  private JsonHttp anonymous() {
    return new JsonHttp(stack.api().url());
  }

  private static Map<String, String> bearer(String token) {
    return Map.of("Authorization", "Bearer " + token);
  }

  @Test
  void aTokenSignedWithTheNextKeyRunsTheJobToTheEnd() {
    String body = uniqueWelcome(1);
    String token =
        TriggerToken.of(TriggerToken.WRITE, Duration.ofMinutes(1))
            .withBody(body)
            .signedWith(NEXT_KEY);

    JsonHttp.Response accepted = anonymous().post("/api/notifications", body, bearer(token));

    assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
    JsonNode job = awaitFinished(accepted.json().path("jobId").asText(), Duration.ofSeconds(60));
    assertThat(job.path("status").asText()).isEqualTo("COMPLETED");
  }

  @Test
  void aTriggerWithoutATokenIsRefusedLoggedAndStartsNothing() {
    JsonNode problem =
        refused(
            401, "no bearer token", () -> anonymous().post("/api/notifications", uniqueWelcome(1)));
    assertThat(problem.path("title").asText()).isEqualTo("Unauthorized");
  }

  @Test
  void aTokenReplayedWithAnotherBodyIsRefused() {
    String signedBody = uniqueWelcome(1);
    String token =
        TriggerToken.of(TriggerToken.WRITE, Duration.ofMinutes(1))
            .withBody(signedBody)
            .signedWith(LocalStack.TOKEN_KEYS.get(0));
    refused(
        401, "body", () -> anonymous().post("/api/notifications", uniqueWelcome(2), bearer(token)));
  }

  @Test
  void aReadOnlyTokenCannotTrigger() {
    String body = uniqueWelcome(1);
    String token =
        TriggerToken.of(TriggerToken.READ, Duration.ofMinutes(1))
            .withBody(body)
            .signedWith(LocalStack.TOKEN_KEYS.get(0));
    refused(403, "jobs:write", () -> anonymous().post("/api/notifications", body, bearer(token)));
  }

  @Test
  void healthAnswersAnyoneWithoutDetailsAndEverythingElseNeedsAToken() {
    JsonHttp.Response health = anonymous().get("/actuator/health");
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.json().path("status").asText()).isEqualTo("UP");
    assertThat(health.json().has("components")).as(health.body()).isFalse();

    String read =
        TriggerToken.of(TriggerToken.READ, Duration.ofMinutes(1))
            .signedWith(LocalStack.TOKEN_KEYS.get(0));
    JsonHttp.Response detailed = anonymous().get("/actuator/health", bearer(read));
    assertThat(detailed.json().path("components").has("db")).as(detailed.body()).isTrue();

    for (String path :
        new String[] {"/actuator/prometheus", "/actuator/info", "/actuator/metrics"}) {
      assertThat(anonymous().get(path).status()).as(path).isEqualTo(401);
    }
    JsonHttp.Response metrics = anonymous().get("/actuator/prometheus", bearer(read));
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.body()).contains("jvm_memory_used_bytes");
  }

  /**
   * The refusal's problem, after checking its one security-log row and that nothing was started.
   */
  private JsonNode refused(int status, String reason, Supplier<JsonHttp.Response> request) {
    long jobsBefore = sql.count("SELECT count(*) FROM jobs");
    long workflowsBefore = temporalClient().countWorkflows("").getCount();
    long logBefore = sql.count("SELECT coalesce(max(id), 0) FROM security_log");

    JsonHttp.Response response = request.get();

    assertThat(response.status()).as(response.body()).isEqualTo(status);
    assertThat(response.header("Content-Type")).startsWith("application/problem+json");
    assertThat(sql.count("SELECT count(*) FROM jobs")).isEqualTo(jobsBefore);
    assertThat(temporalClient().countWorkflows("").getCount()).isEqualTo(workflowsBefore);
    assertThat(
            sql.rows(
                "SELECT channel, path, reason, source_address FROM security_log WHERE id > ?",
                logBefore))
        .singleElement()
        .satisfies(
            row -> {
              assertThat(row).containsEntry("channel", "api");
              assertThat(row).containsEntry("path", "/api/notifications");
              assertThat(row).containsEntry("source_address", "127.0.0.1");
              assertThat((String) row.get("reason")).contains(reason);
            });
    return response.json();
  }
}
