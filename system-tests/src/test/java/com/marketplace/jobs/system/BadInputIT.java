package com.marketplace.jobs.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Refused requests: each gets a specific RFC 9457 problem, and nothing is written to the ledger and
 * no workflow is started.
 */
class BadInputIT extends StackTest {

  @Test
  void anUnknownCustomerIs404() {
    JsonNode problem =
        refused(
            404,
            () ->
                api.post(
                    "/api/notifications", "{\"customerId\": 999999, \"template\": \"welcome\"}"));
    assertThat(problem.path("detail").asText()).isEqualTo("No customer with id 999999.");
  }

  @Test
  void aUrlTomcatCannotReadIsAProblemNotAnHtmlPage() {
    JsonNode problem = assertProblem(api.get("/api/jobs?status[]=FAILED"), 400);
    assertThat(problem.path("detail").asText()).contains("malformed");
  }

  @Test
  void aUrlTheFirewallRefusesIsAProblemToo() {
    JsonNode problem = assertProblem(api.get("/api/jobs/%0Aabc"), 400);
    assertThat(problem.path("detail").asText()).contains("not allowed");
  }

  @Test
  void aFormBodyWithAParameterNameTheFirewallRefusesIsAProblem() {
    JsonNode problem =
        assertProblem(
            api.post(
                "/webhooks/stripe",
                "\u0000=1",
                Map.of("Content-Type", "application/x-www-form-urlencoded")),
            400);
    assertThat(problem.path("detail").asText()).contains("parameters could not be read");
  }

  @Test
  void aNulCharacterInATextIs400AndStartsNothing() {
    JsonNode problem =
        refused(
            400,
            () ->
                api.post(
                    "/api/companies/201/ban",
                    BanReasons.body("Reports of fraud\u0000 at the desk")));
    assertThat(problem.path("detail").asText()).contains("NUL character");
  }

  @Test
  void aCallerThatAcceptsNoJsonIs406BeforeAJobIsAccepted() {
    JsonNode problem =
        refused(
            406,
            () ->
                api.post(
                    "/api/notifications", uniqueWelcome(1), Map.of("Accept", "application/xml")));
    assertThat(problem.path("detail").asText()).contains("application/json");
  }

  @Test
  void malformedJsonIs400() {
    JsonNode problem =
        refused(400, () -> api.post("/api/notifications", "{\"customerId\": 42, \"template\": "));
    assertThat(problem.path("title").asText()).isEqualTo("Malformed request body");
  }

  @Test
  void aMissingBodyIs400() {
    refused(400, () -> api.post("/api/notifications", ""));
  }

  @Test
  void missingFieldsAre400NamingThem() {
    JsonNode problem = refused(400, () -> api.post("/api/notifications", "{}"));
    assertThat(fields(problem)).containsExactly("customerId", "template");
    assertThat(problem.path("detail").asText())
        .contains("customerId must not be null")
        .contains("template must not be blank");
  }

  @Test
  void aFieldOfTheWrongTypeIs400NamingIt() {
    JsonNode problem =
        refused(
            400,
            () ->
                api.post(
                    "/api/notifications",
                    "{\"customerId\": \"forty-two\", \"template\": \"welcome\"}"));
    assertThat(fields(problem)).containsExactly("customerId");
    assertThat(problem.path("detail").asText())
        .isEqualTo("Invalid fields: customerId must be an integer");
  }

  @Test
  void aNegativeCustomerIdIs400NamingIt() {
    JsonNode problem =
        refused(
            400,
            () ->
                api.post("/api/notifications", "{\"customerId\": -1, \"template\": \"welcome\"}"));
    assertThat(fields(problem)).containsExactly("customerId");
  }

  @Test
  void anUnknownFieldIs400NamingIt() {
    JsonNode problem =
        refused(
            400,
            () ->
                api.post(
                    "/api/notifications",
                    "{\"customerId\": 42, \"template\": \"welcome\", \"tempalte\": \"x\"}"));
    assertThat(fields(problem)).containsExactly("tempalte");
  }

  @Test
  void anUnknownTemplateIs400() {
    JsonNode problem =
        refused(
            400,
            () -> api.post("/api/notifications", "{\"customerId\": 42, \"template\": \"promo\"}"));
    assertThat(problem.path("detail").asText())
        .isEqualTo("Unknown template. Known templates: welcome, birthday, order_confirmation.");
  }

  @Test
  void aTemplateWithoutItsParamsIs400NamingThem() {
    JsonNode problem =
        refused(
            400,
            () ->
                api.post(
                    "/api/notifications",
                    "{\"customerId\": 42, \"template\": \"order_confirmation\", \"params\": {\"orderId\": \"7\"}}"));
    assertThat(problem.path("detail").asText())
        .isEqualTo("Template 'order_confirmation' needs params: vehicleName.");
  }

  @Test
  void anOverlongIdempotencyKeyIs400() {
    refused(
        400,
        () ->
            api.post(
                "/api/notifications",
                uniqueWelcome(42),
                Map.of("Idempotency-Key", "k".repeat(300))));
  }

  @Test
  void aFourKilobyteIdempotencyKeyOnABanIs400() {
    JsonNode problem =
        refused(
            400,
            () ->
                api.post(
                    "/api/companies/201/ban",
                    BanReasons.body("Ban refused for its idempotency key"),
                    Map.of("Idempotency-Key", "k".repeat(4096))));
    assertThat(problem.path("detail").asText())
        .isEqualTo("The Idempotency-Key header must be 1 to 255 characters.");
  }

  @Test
  void tooManyOrOverlongNotificationParamsAre400NamingTheField() {
    StringBuilder many = new StringBuilder();
    for (int i = 0; i < 21; i++) {
      many.append(i == 0 ? "" : ", ").append("\"p").append(i).append("\": \"v\"");
    }
    JsonNode tooMany =
        refused(
            400,
            () ->
                api.post(
                    "/api/notifications",
                    "{\"customerId\": 42, \"template\": \"welcome\", \"params\": {" + many + "}}"));
    assertThat(fields(tooMany)).containsExactly("params");

    JsonNode overlong =
        refused(
            400,
            () ->
                api.post(
                    "/api/notifications",
                    "{\"customerId\": 42, \"template\": \"welcome\", \"params\": {\"note\": \""
                        + "x".repeat(1001)
                        + "\"}}"));
    assertThat(fields(overlong)).containsExactly("params.note");
  }

  @Test
  void aBodyOverOneMegabyteIs413OnTriggersAndWebhooks() {
    String big =
        "{\"customerId\": 42, \"template\": \"welcome\", \"params\": {\"x\": \""
            + "y".repeat(1_500_000)
            + "\"}}";
    for (String path : List.of("/api/notifications", "/webhooks/stripe", "/webhooks/marketplace")) {
      JsonNode problem = refused(413, () -> api.post(path, big));
      assertThat(problem.path("detail").asText())
          .isEqualTo("The request body is larger than 1048576 bytes.");
    }
  }

  @Test
  void aChunkedBodyOverOneMegabyteIs413Too() {
    byte[] big =
        ("{\"customerId\": 42, \"template\": \"welcome\", \"params\": {\"x\": \""
                + "y".repeat(1_500_000)
                + "\"}}")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    JsonNode problem = refused(413, () -> api.postChunked("/api/notifications", big));
    assertThat(problem.path("title").asText()).isEqualTo("Request body too large");
  }

  @Test
  void statusQueriesRefuseBadParameters() {
    assertProblem(api.get("/api/jobs/not-a-uuid"), 400);
    assertProblem(api.get("/api/jobs/" + UUID.randomUUID()), 404);
    assertThat(assertProblem(api.get("/api/jobs?status=DONE"), 400).path("detail").asText())
        .isEqualTo("status must be one of PENDING, PROCESSING, COMPLETED, FAILED, CANCELLED.");
    assertProblem(api.get("/api/jobs?type=fax"), 400);
    assertProblem(api.get("/api/jobs?limit=0"), 400);
    assertThat(assertProblem(api.get("/api/jobs?limit=many"), 400).path("detail").asText())
        .isEqualTo("Invalid fields: limit must be an integer");
    assertProblem(api.get("/api/jobs?before=yesterday"), 400);
  }

  /** Runs the request and checks it was refused with a problem and changed nothing. */
  private JsonNode refused(int status, Supplier<JsonHttp.Response> request) {
    long jobsBefore = sql.count("SELECT count(*) FROM jobs");
    long workflowsBefore = temporalClient().countWorkflows("").getCount();

    JsonNode problem = assertProblem(request.get(), status);

    assertThat(sql.count("SELECT count(*) FROM jobs")).isEqualTo(jobsBefore);
    assertThat(temporalClient().countWorkflows("").getCount()).isEqualTo(workflowsBefore);
    assertThat(stack.mail().received()).isEmpty();
    return problem;
  }

  private static JsonNode assertProblem(JsonHttp.Response response, int status) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    assertThat(response.header("Content-Type")).startsWith("application/problem+json");
    JsonNode problem = response.json();
    assertThat(problem.path("status").asInt()).isEqualTo(status);
    assertThat(problem.path("title").asText()).isNotBlank();
    assertThat(problem.path("detail").asText()).isNotBlank();
    return problem;
  }

  private static List<String> fields(JsonNode problem) {
    List<String> fields = new ArrayList<>();
    problem.path("errors").forEach(error -> fields.add(error.path("field").asText()));
    return fields;
  }
}
