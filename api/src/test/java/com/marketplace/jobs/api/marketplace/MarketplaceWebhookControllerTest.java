package com.marketplace.jobs.api.marketplace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.marketplace.jobs.api.intake.DueTimes;
import com.marketplace.jobs.api.intake.IntakeProperties;
import com.marketplace.jobs.api.intake.JobCounters;
import com.marketplace.jobs.api.intake.JobIntake;
import com.marketplace.jobs.api.intake.RelayWakeUp;
import com.marketplace.jobs.api.security.ApiSecurityConfig;
import com.marketplace.jobs.api.security.SecurityLog;
import com.marketplace.jobs.api.testsupport.MigratedPostgres;
import com.marketplace.jobs.api.webhooks.WebhookEvents;
import com.marketplace.jobs.api.webhooks.WebhookSecurityLog;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.ResultActions;

/**
 * The Billion webhook through HTTP, with the real verifier, security log, event reading and job
 * intake on a real PostgreSQL: what a call leaves in {@code jobs}, {@code webhook_events} and
 * {@code security_log}. Signatures are computed here, as docs/integrations/billion-marketplace.md
 * says.
 */
@WebMvcTest(
    controllers = MarketplaceWebhookController.class,
    properties =
        "jobs.marketplace.webhook-secrets="
            + MarketplaceWebhookControllerTest.CURRENT
            + ", "
            + MarketplaceWebhookControllerTest.NEXT)
@Import({
  MarketplaceSignatureVerifier.class,
  MarketplaceEvents.class,
  WebhookEvents.class,
  WebhookSecurityLog.class,
  SecurityLog.class,
  ApiSecurityConfig.class,
  JobIntake.class,
  JobCounters.class,
  SimpleMeterRegistry.class,
  DueTimes.class,
  RelayWakeUp.class,
  MarketplaceWebhookControllerTest.Properties.class,
  MigratedPostgres.class
})
class MarketplaceWebhookControllerTest {

  static final String CURRENT = "billion_current_0123456789";
  static final String NEXT = "billion_next_9876543210";
  private static final String UNKNOWN = "billion_unknown_5555";
  private static final String SOURCE = "198.51.100.7";
  private static final String NOT_VERIFIED = "Webhook signature not verified";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TestConfiguration
  @EnableConfigurationProperties({MarketplaceWebhookProperties.class, IntakeProperties.class})
  static class Properties {}

  @Autowired private MockMvc mvc;
  @Autowired private JdbcClient jdbc;

  @BeforeEach
  void emptyTables() {
    jdbc.sql("DELETE FROM security_log").update();
    jdbc.sql("DELETE FROM webhook_events").update();
    jdbc.sql("DELETE FROM jobs").update();
  }

  private static String uniqueId(String prefix) {
    return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
  }

  static String bookingCreated(String eventId) {
    return """
        {"id": "%s", "type": "booking.created", "created": 1767225600,
         "data": {"bookingId": "bk_4711", "vehicleId": 100001, "customerNote": "late arrival"}}
        """
        .formatted(eventId);
  }

  /** {@code v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>}, as the contract says. */
  static String signature(String secret, long timestamp, String body) {
    return "v1="
        + MarketplaceSignatureVerifier.signature(
            secret, Long.toString(timestamp), body.getBytes(StandardCharsets.UTF_8));
  }

  private static long now() {
    return Instant.now().getEpochSecond();
  }

  private ResultActions deliver(String body, Long timestamp, String signatureHeader)
      throws Exception {
    var request =
        post("/webhooks/marketplace")
            .contentType(MediaType.APPLICATION_JSON)
            .content(body.getBytes(StandardCharsets.UTF_8))
            .with(
                r -> {
                  r.setRemoteAddr(SOURCE);
                  return r;
                });
    if (timestamp != null) {
      request.header("Billion-Timestamp", Long.toString(timestamp));
    }
    if (signatureHeader != null) {
      request.header("Billion-Signature", signatureHeader);
    }
    return mvc.perform(request);
  }

  private ResultActions deliverSigned(String secret, String body) throws Exception {
    long timestamp = now();
    return deliver(body, timestamp, signature(secret, timestamp, body));
  }

  private List<Map<String, Object>> refusals() {
    return jdbc.sql("SELECT channel, source_address, reason FROM security_log")
        .query()
        .listOfRows();
  }

  private long count(String table) {
    return jdbc.sql("SELECT count(*) FROM " + table).query(Long.class).single();
  }

  private void assertRefused(ResultActions result, String reasonFragment) throws Exception {
    result
        .andExpect(status().isBadRequest())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.status").value(400))
        .andExpect(jsonPath("$.title").value(NOT_VERIFIED))
        .andExpect(
            jsonPath("$.detail")
                .value(
                    "The Billion-Timestamp or Billion-Signature header is missing or malformed,"
                        + " no signature was made with a configured secret over this timestamp"
                        + " and body, or the timestamp is too far from now."));
    assertThat(count("jobs")).as("nothing started").isZero();
    assertThat(count("webhook_events")).isZero();
    assertThat(refusals())
        .singleElement()
        .satisfies(
            row -> {
              assertThat(row).containsEntry("channel", "billion");
              assertThat(row).containsEntry("source_address", SOURCE);
              assertThat((String) row.get("reason")).contains(reasonFragment);
            });
  }

  @Test
  void anEventSignedWithTheCurrentSecretBecomesAMarketplaceJob() throws Exception {
    String eventId = uniqueId("evt");

    MvcResult result =
        deliverSigned(CURRENT, bookingCreated(eventId))
            .andExpect(status().isOk())
            .andExpect(jsonPath("$.eventId").value(eventId))
            .andExpect(jsonPath("$.outcome").value("accepted"))
            .andReturn();

    String jobId = WebhookEvents.jobIdFor("billion", eventId).toString();
    JsonNode receipt = JSON.readTree(result.getResponse().getContentAsString());
    assertThat(receipt.path("jobId").asText()).isEqualTo(jobId);
    assertThat(receipt.path("workflowId").asText()).isEqualTo("marketplace_event-" + jobId);
    assertThat(receipt.path("statusUrl").asText()).isEqualTo("/api/jobs/" + jobId);
    Map<String, Object> job =
        jdbc.sql(
                "SELECT type, status, priority::int AS priority, idempotency_key, payload::text AS payload"
                    + " FROM jobs WHERE id = :id")
            .param("id", UUID.fromString(jobId))
            .query()
            .singleRow();
    assertThat(job)
        .containsEntry("type", "marketplace_event")
        .containsEntry("status", "PENDING")
        .containsEntry("priority", 2)
        .containsEntry("idempotency_key", eventId);
    assertThat(JSON.readTree((String) job.get("payload")))
        .isEqualTo(
            JSON.readTree(
                """
                {"jobId": "%s", "eventId": "%s", "eventType": "booking.created",
                 "eventCreated": 1767225600, "vehicleId": 100001, "companyId": null,
                 "reason": null, "bookingId": "bk_4711"}
                """
                    .formatted(jobId, eventId)));
    assertThat(
            jdbc.sql(
                    "SELECT outcome, event_type, job_id FROM webhook_events"
                        + " WHERE provider = 'billion' AND event_id = :id")
                .param("id", eventId)
                .query()
                .singleRow())
        .containsEntry("outcome", "ACCEPTED")
        .containsEntry("event_type", "booking.created")
        .containsEntry("job_id", UUID.fromString(jobId));
    assertThat(refusals()).isEmpty();
  }

  @Test
  void anEventSignedWithTheNextSecretIsAcceptedTooDuringARotation() throws Exception {
    deliverSigned(NEXT, bookingCreated(uniqueId("evt")))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.outcome").value("accepted"));

    assertThat(count("jobs")).isEqualTo(1);
    assertThat(refusals()).isEmpty();
  }

  @Test
  void aHeaderWithTwoSignaturesPassesWhenOneMatches() throws Exception {
    String body = bookingCreated(uniqueId("evt"));
    long timestamp = now();

    deliver(
            body,
            timestamp,
            signature(UNKNOWN, timestamp, body) + ", " + signature(NEXT, timestamp, body))
        .andExpect(status().isOk());

    assertThat(count("jobs")).isEqualTo(1);
  }

  @Test
  void timestampsJustInsideTheToleranceEitherWayAreAccepted() throws Exception {
    String old = bookingCreated(uniqueId("evt"));
    String ahead = bookingCreated(uniqueId("evt"));

    deliver(old, now() - 290, signature(CURRENT, now() - 290, old)).andExpect(status().isOk());
    deliver(ahead, now() + 290, signature(CURRENT, now() + 290, ahead)).andExpect(status().isOk());

    assertThat(refusals()).isEmpty();
  }

  @Test
  void anEventSignedWithAnUnknownSecretIsRefusedAndLogged() throws Exception {
    assertRefused(deliverSigned(UNKNOWN, bookingCreated(uniqueId("evt"))), "no signature matches");
  }

  @Test
  void aTamperedBodyIsRefusedAndLogged() throws Exception {
    String body = bookingCreated(uniqueId("evt"));
    long timestamp = now();
    String signed = signature(CURRENT, timestamp, body);

    assertRefused(
        deliver(body.replace("100001", "100002"), timestamp, signed), "no signature matches");
  }

  @Test
  void aSignatureReusedWithAnotherTimestampIsRefusedAndLogged() throws Exception {
    String body = bookingCreated(uniqueId("evt"));
    long timestamp = now() - 10;

    assertRefused(
        deliver(body, timestamp + 5, signature(CURRENT, timestamp, body)), "no signature matches");
  }

  @Test
  void aTimestampOlderThanTheToleranceIsRefusedAndLogged() throws Exception {
    String body = bookingCreated(uniqueId("evt"));
    long stale = now() - 301;

    assertRefused(deliver(body, stale, signature(CURRENT, stale, body)), "in the past");
  }

  @Test
  void aTimestampFurtherAheadThanTheToleranceIsRefusedAndLogged() throws Exception {
    String body = bookingCreated(uniqueId("evt"));
    long future = now() + 3600;

    assertRefused(deliver(body, future, signature(CURRENT, future, body)), "in the future");
  }

  @Test
  void aMissingTimestampHeaderIsRefusedAndLogged() throws Exception {
    String body = bookingCreated(uniqueId("evt"));

    assertRefused(
        deliver(body, null, signature(CURRENT, now(), body)), "missing Billion-Timestamp");
  }

  @Test
  void aMissingSignatureHeaderIsRefusedAndLogged() throws Exception {
    assertRefused(
        deliver(bookingCreated(uniqueId("evt")), now(), null), "missing Billion-Signature");
  }

  @Test
  void aMalformedSignatureHeaderIsRefusedAndLogged() throws Exception {
    assertRefused(deliver(bookingCreated(uniqueId("evt")), now(), "sha256=abc"), "no v1");
  }

  @Test
  void theSecurityLogKeepsNoPayload() throws Exception {
    deliverSigned(UNKNOWN, bookingCreated(uniqueId("evt"))).andExpect(status().isBadRequest());

    assertThat(
            jdbc.sql("SELECT count(*) FROM security_log WHERE reason LIKE '%bk_4711%'")
                .query(Long.class)
                .single())
        .isZero();
  }

  @Test
  void aRedeliveredEventIsTheSameJobAnsweredWith200() throws Exception {
    String eventId = uniqueId("evt");
    String first =
        deliverSigned(CURRENT, bookingCreated(eventId))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();

    String second =
        deliverSigned(NEXT, bookingCreated(eventId))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();

    assertThat(JSON.readTree(second)).isEqualTo(JSON.readTree(first));
    assertThat(count("jobs")).isEqualTo(1);
    assertThat(
            jdbc.sql("SELECT deliveries FROM webhook_events WHERE event_id = :id")
                .param("id", eventId)
                .query(Integer.class)
                .single())
        .isEqualTo(2);
  }

  @Test
  void tenConcurrentDeliveriesOfAnEventAreOneJob() throws Exception {
    String eventId = uniqueId("evt");
    ExecutorService pool = Executors.newFixedThreadPool(10);
    List<Future<String>> answers = new ArrayList<>();
    try {
      for (int i = 0; i < 10; i++) {
        answers.add(
            pool.submit(
                () ->
                    deliverSigned(CURRENT, bookingCreated(eventId))
                        .andExpect(status().isOk())
                        .andReturn()
                        .getResponse()
                        .getContentAsString()));
      }
      for (Future<String> answer : answers) {
        assertThat(JSON.readTree(answer.get()).path("jobId").asText())
            .isEqualTo(WebhookEvents.jobIdFor("billion", eventId).toString());
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(count("jobs")).isEqualTo(1);
  }

  @Test
  void anUnknownEventTypeIsRecordedAsIgnoredWithoutAJob() throws Exception {
    String eventId = uniqueId("evt");
    String body =
        """
        {"id": "%s", "type": "payout.sent", "created": %d, "data": {"amount": 10}}
        """
            .formatted(eventId, now());

    deliverSigned(CURRENT, body)
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.eventId").value(eventId))
        .andExpect(jsonPath("$.outcome").value("ignored"))
        .andExpect(jsonPath("$.jobId").doesNotExist());

    assertThat(count("jobs")).isZero();
    assertThat(
            jdbc.sql("SELECT outcome, event_type FROM webhook_events WHERE event_id = :id")
                .param("id", eventId)
                .query()
                .singleRow())
        .containsEntry("outcome", "IGNORED")
        .containsEntry("event_type", "payout.sent");
  }

  @Test
  void eachHandledTypeIsReadIntoItsJobsInput() throws Exception {
    String removal = uniqueId("evt");
    String cancellation = uniqueId("evt");

    deliverSigned(
            CURRENT,
            """
            {"id": "%s", "type": "listing.removed", "created": 1767225600,
             "data": {"vehicleId": 100001, "companyId": 101, "reason": "photos missing"}}
            """
                .formatted(removal))
        .andExpect(status().isOk());
    deliverSigned(
            CURRENT,
            """
            {"id": "%s", "type": "booking.cancelled", "created": 1767225660,
             "data": {"bookingId": "bk_4711"}}
            """
                .formatted(cancellation))
        .andExpect(status().isOk());

    assertThat(payload(removal))
        .isEqualTo(
            JSON.readTree(
                """
                {"jobId": "%s", "eventId": "%s", "eventType": "listing.removed",
                 "eventCreated": 1767225600, "vehicleId": 100001, "companyId": 101,
                 "reason": "photos missing", "bookingId": null}
                """
                    .formatted(WebhookEvents.jobIdFor("billion", removal), removal)));
    assertThat(payload(cancellation))
        .isEqualTo(
            JSON.readTree(
                """
                {"jobId": "%s", "eventId": "%s", "eventType": "booking.cancelled",
                 "eventCreated": 1767225660, "vehicleId": null, "companyId": null,
                 "reason": null, "bookingId": "bk_4711"}
                """
                    .formatted(WebhookEvents.jobIdFor("billion", cancellation), cancellation)));
  }

  private JsonNode payload(String eventId) throws IOException {
    return JSON.readTree(
        jdbc.sql("SELECT payload::text FROM jobs WHERE idempotency_key = :id")
            .param("id", eventId)
            .query(String.class)
            .single());
  }

  @Test
  void aSignedEventWithMissingOrMistypedFieldsIs400NamingThemAndStartsNothing() throws Exception {
    deliverSigned(
            CURRENT,
            """
            {"id": "evt_bad", "type": "booking.created", "created": "yesterday",
             "data": {"vehicleId": "100001"}}
            """)
        .andExpect(status().isBadRequest())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.title").value("Invalid request"))
        .andExpect(jsonPath("$.errors[0].field").value("created"))
        .andExpect(jsonPath("$.errors[0].message").value("must be a positive integer"));
    deliverSigned(
            CURRENT,
            """
            {"id": "evt_bad", "type": "booking.created", "created": 1767225600,
             "data": {"vehicleId": "100001"}}
            """)
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.errors[0].field").value("data.bookingId"))
        .andExpect(jsonPath("$.errors[0].message").value("is required"))
        .andExpect(jsonPath("$.errors[1].field").value("data.vehicleId"))
        .andExpect(
            jsonPath("$.detail")
                .value(
                    "Invalid fields: data.bookingId is required;"
                        + " data.vehicleId must be a positive integer"));
    deliverSigned(
            CURRENT,
            """
            {"id": "evt bad", "type": "listing.removed", "created": 1767225600, "data": []}
            """)
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.errors[0].field").value("id"))
        .andExpect(jsonPath("$.errors[1].field").value("data"));
    deliverSigned(CURRENT, "[1, 2]")
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.title").value("Malformed request body"));

    assertThat(count("jobs")).isZero();
    assertThat(count("webhook_events")).isZero();
    assertThat(refusals()).as("a signed call is no security event").isEmpty();
  }
}
