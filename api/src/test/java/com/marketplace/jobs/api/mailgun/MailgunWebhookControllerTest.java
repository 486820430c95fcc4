package com.marketplace.jobs.api.mailgun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.marketplace.jobs.api.security.ApiSecurityConfig;
import com.marketplace.jobs.api.security.SecurityLog;
import com.marketplace.jobs.api.testsupport.MigratedPostgres;
import com.marketplace.jobs.api.webhooks.WebhookSecurityLog;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
import org.springframework.test.web.servlet.ResultActions;

/**
 * Mailgun's delivery webhook through HTTP, with the real verifier, security log and event recording
 * on a real PostgreSQL: what a call leaves in {@code mailgun_events}, {@code touchpoints} and
 * {@code security_log}. Signatures are computed here as Mailgun documents them.
 */
@WebMvcTest(
    controllers = MailgunWebhookController.class,
    properties =
        "jobs.mailgun.webhook-signing-keys="
            + MailgunWebhookControllerTest.CURRENT
            + ", "
            + MailgunWebhookControllerTest.NEXT)
@Import({
  MailgunSignatureVerifier.class,
  MailgunDeliveryEvents.class,
  WebhookSecurityLog.class,
  SecurityLog.class,
  ApiSecurityConfig.class,
  MailgunWebhookControllerTest.Properties.class,
  MigratedPostgres.class
})
class MailgunWebhookControllerTest {

  static final String CURRENT = "mailgun-test-key-current-0123456789";
  static final String NEXT = "mailgun-test-key-next-0123456789";
  private static final String SOURCE = "203.0.113.9";

  @TestConfiguration
  @EnableConfigurationProperties(MailgunWebhookProperties.class)
  static class Properties {}

  @Autowired private MockMvc mvc;
  @Autowired private JdbcClient jdbc;

  private long touchpoint;

  @BeforeEach
  void emptyTables() {
    jdbc.sql("DELETE FROM security_log").update();
    jdbc.sql("DELETE FROM mailgun_events").update();
    jdbc.sql("DELETE FROM mailgun_webhook_tokens").update();
    jdbc.sql("DELETE FROM touchpoints").update();
    touchpoint =
        jdbc.sql(
                """
                INSERT INTO touchpoints (kind, subject_key, customer_id, due_on, due_by, sent_at,
                                         late, provider_message_id)
                VALUES ('birthday_reminder', :key, 7, current_date, now(), now(), false,
                        '<20261201.1@mg.example.com>')
                RETURNING id
                """)
            .param("key", "customer:7:" + UUID.randomUUID())
            .query(Long.class)
            .single();
  }

  private static String token() {
    return UUID.randomUUID().toString().replace("-", "") + "abcdef0123456789abcdef";
  }

  static String body(String key, long timestamp, String token, String eventData) {
    return """
        {"signature": {"timestamp": "%d", "token": "%s", "signature": "%s"},
         "event-data": %s}
        """
        .formatted(
            timestamp,
            token,
            MailgunSignatureVerifier.signature(key, Long.toString(timestamp), token),
            eventData);
  }

  private String event(String event, String severity, String reason, double at) {
    return """
        {"id": "%s", "event": "%s", "severity": %s, "reason": %s, "timestamp": %s,
         "recipient": "someone@example.org",
         "message": {"headers": {"message-id": "20261201.1@mg.example.com"}},
         "user-variables": {"touchpoint-id": "%d", "batch-id": "b-1"}}
        """
        .formatted(
            UUID.randomUUID(),
            event,
            severity == null ? "null" : "\"" + severity + "\"",
            reason == null ? "null" : "\"" + reason + "\"",
            at,
            touchpoint);
  }

  private static long now() {
    return Instant.now().getEpochSecond();
  }

  private ResultActions deliver(String body) throws Exception {
    return mvc.perform(
        post("/webhooks/mailgun")
            .contentType(MediaType.APPLICATION_JSON)
            .content(body.getBytes(StandardCharsets.UTF_8))
            .with(
                r -> {
                  r.setRemoteAddr(SOURCE);
                  return r;
                }));
  }

  private Map<String, Object> touchpointRow() {
    return jdbc.sql(
            "SELECT delivery_status, delivered_at, failed_at, failure_reason FROM touchpoints"
                + " WHERE id = :id")
        .param("id", touchpoint)
        .query()
        .singleRow();
  }

  private long count(String table) {
    return jdbc.sql("SELECT count(*) FROM " + table).query(Long.class).single();
  }

  private List<String> refusalReasons() {
    return jdbc.sql(
            "SELECT reason FROM security_log WHERE channel = 'mailgun' AND source_address = :s")
        .param("s", SOURCE)
        .query(String.class)
        .list();
  }

  @Test
  void aDeliveredEventSignedWithTheCurrentKeyIsRecordedOnItsTouchpoint() throws Exception {
    deliver(body(CURRENT, now(), token(), event("delivered", null, null, now())))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.outcome").value("recorded"));

    assertThat(touchpointRow().get("delivery_status")).isEqualTo("DELIVERED");
    assertThat(touchpointRow().get("delivered_at")).isNotNull();
    Map<String, Object> event =
        jdbc.sql("SELECT event, message_id, touchpoint_id FROM mailgun_events").query().singleRow();
    assertThat(event)
        .containsEntry("event", "delivered")
        .containsEntry("message_id", "<20261201.1@mg.example.com>")
        .containsEntry("touchpoint_id", touchpoint);
    assertThat(count("security_log")).isZero();
  }

  @Test
  void anEventSignedWithTheNextKeyIsAcceptedToo() throws Exception {
    deliver(body(NEXT, now(), token(), event("delivered", null, null, now())))
        .andExpect(status().isOk());

    assertThat(touchpointRow().get("delivery_status")).isEqualTo("DELIVERED");
  }

  @Test
  void aPermanentBounceMarksItBouncedAndATemporaryFailureChangesNothing() throws Exception {
    deliver(body(CURRENT, now(), token(), event("failed", "temporary", "generic", now())))
        .andExpect(status().isOk());
    assertThat(touchpointRow().get("delivery_status")).isNull();

    deliver(body(CURRENT, now(), token(), event("failed", "permanent", "bounce", now() + 1)))
        .andExpect(status().isOk());

    assertThat(touchpointRow())
        .containsEntry("delivery_status", "BOUNCED")
        .containsEntry("failure_reason", "bounce");
    assertThat(count("mailgun_events")).isEqualTo(2);
  }

  @Test
  void aComplaintIsFinalAndAnOlderEventNeverOverwritesANewerVerdict() throws Exception {
    long t = now();
    deliver(body(CURRENT, t, token(), event("failed", "permanent", "generic", t)))
        .andExpect(status().isOk());
    deliver(body(CURRENT, t, token(), event("delivered", null, null, t - 60)))
        .andExpect(status().isOk());
    assertThat(touchpointRow().get("delivery_status")).isEqualTo("FAILED");

    deliver(body(CURRENT, t, token(), event("complained", null, null, t + 5)))
        .andExpect(status().isOk());
    deliver(body(CURRENT, t, token(), event("delivered", null, null, t + 10)))
        .andExpect(status().isOk());

    assertThat(touchpointRow().get("delivery_status")).isEqualTo("COMPLAINED");
  }

  @Test
  void aBadSignatureIsRefusedWith401AndLogged() throws Exception {
    deliver(
            body(
                "not-the-key-0123456789abcdef",
                now(),
                token(),
                event("delivered", null, null, now())))
        .andExpect(status().isUnauthorized())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.status").value(401));

    assertThat(refusalReasons()).singleElement().asString().contains("no configured signing key");
    assertThat(count("mailgun_events")).isZero();
    assertThat(count("mailgun_webhook_tokens")).isZero();
    assertThat(touchpointRow().get("delivery_status")).isNull();
  }

  @Test
  void aCallWithoutASignatureOrBodyIsRefusedWith401() throws Exception {
    deliver("").andExpect(status().isUnauthorized());
    deliver("{\"event-data\": {}}").andExpect(status().isUnauthorized());
    deliver("not json").andExpect(status().isUnauthorized());

    assertThat(refusalReasons()).hasSize(3);
  }

  @Test
  void aStaleOrFutureTimestampIsRefusedWith406SoMailgunStopsRetrying() throws Exception {
    deliver(body(CURRENT, now() - 301, token(), event("delivered", null, null, now())))
        .andExpect(status().isNotAcceptable())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
    deliver(body(CURRENT, now() + 301, token(), event("delivered", null, null, now())))
        .andExpect(status().isNotAcceptable());

    assertThat(refusalReasons())
        .hasSize(2)
        .anySatisfy(reason -> assertThat(reason).contains("in the past"))
        .anySatisfy(reason -> assertThat(reason).contains("in the future"));
    assertThat(count("mailgun_events")).isZero();
  }

  @Test
  void aReplayedTokenIsRefusedWith406AndTheEventIsKeptOnce() throws Exception {
    String body = body(CURRENT, now(), token(), event("delivered", null, null, now()));
    deliver(body).andExpect(status().isOk());

    deliver(body).andExpect(status().isNotAcceptable());

    assertThat(refusalReasons()).singleElement().asString().contains("replay");
    assertThat(count("mailgun_events")).isEqualTo(1);
  }

  @Test
  void theSameEventRedeliveredWithANewTokenIsKeptOnce() throws Exception {
    String event = event("delivered", null, null, now());
    deliver(body(CURRENT, now(), token(), event)).andExpect(status().isOk());

    deliver(body(CURRENT, now(), token(), event))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.outcome").value("duplicate"));

    assertThat(count("mailgun_events")).isEqualTo(1);
  }

  @Test
  void aSignedCallWithoutAReadableEventIsRefusedWith406() throws Exception {
    deliver(body(CURRENT, now(), token(), "{\"event\": \"delivered\"}"))
        .andExpect(status().isNotAcceptable());

    assertThat(refusalReasons()).singleElement().asString().contains("event-data");
  }
}
