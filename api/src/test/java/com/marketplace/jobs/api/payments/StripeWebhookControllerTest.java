package com.marketplace.jobs.api.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.marketplace.jobs.api.security.ApiSecurityConfig;
import com.marketplace.jobs.api.security.SecurityLog;
import com.marketplace.jobs.api.testsupport.MigratedPostgres;
import com.marketplace.jobs.api.webhooks.WebhookReceipt;
import com.marketplace.jobs.api.webhooks.WebhookSecurityLog;
import com.stripe.model.Event;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/**
 * The webhook's verification through HTTP, with the real verifier (stripe-java) and the real
 * security log on a real PostgreSQL; the job intake behind it is mocked, so "nothing started" means
 * it was never called. Signatures are computed here, the way Stripe documents them.
 */
@WebMvcTest(
    controllers = StripeWebhookController.class,
    properties =
        "jobs.stripe.webhook-secrets="
            + StripeWebhookControllerTest.CURRENT
            + ",  "
            + StripeWebhookControllerTest.NEXT)
@Import({
  StripeSignatureVerifier.class,
  WebhookSecurityLog.class,
  SecurityLog.class,
  ApiSecurityConfig.class,
  StripeWebhookControllerTest.Properties.class,
  MigratedPostgres.class
})
class StripeWebhookControllerTest {

  static final String CURRENT = "whsec_current_0123456789";
  static final String NEXT = "whsec_next_9876543210";
  private static final String UNKNOWN = "whsec_unknown_5555";
  private static final String SOURCE = "203.0.113.9";

  @TestConfiguration
  @EnableConfigurationProperties(StripeWebhookProperties.class)
  static class Properties {}

  @Autowired private MockMvc mvc;
  @Autowired private JdbcClient jdbc;
  @MockitoBean private StripeEvents events;

  @BeforeEach
  void emptySecurityLog() {
    jdbc.sql("DELETE FROM security_log").update();
    when(events.receive(any()))
        .thenAnswer(
            call -> {
              Event event = call.getArgument(0);
              return new WebhookReceipt(event.getId(), "accepted", "job-1", "wf-1", "/api/jobs/1");
            });
  }

  static String event(String id) {
    return """
        {"id": "%s", "object": "event", "api_version": "2025-09-30.clover", "created": %d,
         "livemode": false, "pending_webhooks": 1, "type": "payment_intent.succeeded",
         "data": {"object": {"id": "pi_3Webhook", "object": "payment_intent", "amount": 4200,
                             "currency": "eur", "status": "succeeded",
                             "metadata": {"order_id": "17"}}}}
        """
        .formatted(id, Instant.now().getEpochSecond());
  }

  /** {@code t=<timestamp>,v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>}, as Stripe signs. */
  static String signature(String secret, long timestamp, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] digest = mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
      return "t=" + timestamp + ",v1=" + HexFormat.of().formatHex(digest);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static long now() {
    return Instant.now().getEpochSecond();
  }

  private ResultActions deliver(String body, String signatureHeader) throws Exception {
    var request =
        post("/webhooks/stripe")
            .contentType(MediaType.APPLICATION_JSON)
            .content(body.getBytes(StandardCharsets.UTF_8))
            .with(
                r -> {
                  r.setRemoteAddr(SOURCE);
                  return r;
                });
    if (signatureHeader != null) {
      request.header("Stripe-Signature", signatureHeader);
    }
    return mvc.perform(request);
  }

  private List<Map<String, Object>> refusals() {
    return jdbc.sql("SELECT channel, source_address, reason FROM security_log")
        .query()
        .listOfRows();
  }

  private void assertRefused(ResultActions result, String reasonFragment) throws Exception {
    result
        .andExpect(status().isBadRequest())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.status").value(400))
        .andExpect(jsonPath("$.title").value("Webhook signature not verified"));
    verify(events, never()).receive(any());
    assertThat(refusals())
        .singleElement()
        .satisfies(
            row -> {
              assertThat(row).containsEntry("channel", "stripe");
              assertThat(row).containsEntry("source_address", SOURCE);
              assertThat((String) row.get("reason")).contains(reasonFragment);
            });
  }

  @Test
  void anEventSignedWithTheCurrentSecretIsAcceptedWith200() throws Exception {
    String body = event("evt_current");

    deliver(body, signature(CURRENT, now(), body))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.eventId").value("evt_current"))
        .andExpect(jsonPath("$.outcome").value("accepted"));

    ArgumentCaptor<Event> received = ArgumentCaptor.forClass(Event.class);
    verify(events).receive(received.capture());
    assertThat(received.getValue().getId()).isEqualTo("evt_current");
    assertThat(received.getValue().getType()).isEqualTo("payment_intent.succeeded");
    assertThat(refusals()).isEmpty();
  }

  @Test
  void anEventSignedWithTheNextSecretIsAcceptedTooDuringARotation() throws Exception {
    String body = event("evt_next");

    deliver(body, signature(NEXT, now(), body)).andExpect(status().isOk());

    verify(events).receive(any());
    assertThat(refusals()).isEmpty();
  }

  @Test
  void timestampsJustInsideTheToleranceEitherWayAreAccepted() throws Exception {
    String old = event("evt_old_enough");
    String ahead = event("evt_slightly_ahead");

    deliver(old, signature(CURRENT, now() - 290, old)).andExpect(status().isOk());
    deliver(ahead, signature(CURRENT, now() + 290, ahead)).andExpect(status().isOk());

    assertThat(refusals()).isEmpty();
  }

  @Test
  void anEventSignedWithAnUnknownSecretIsRefusedAndLogged() throws Exception {
    String body = event("evt_unknown");

    assertRefused(deliver(body, signature(UNKNOWN, now(), body)), "no signature matches");
  }

  @Test
  void aTamperedBodyIsRefusedAndLogged() throws Exception {
    String body = event("evt_tampered");
    String signed = signature(CURRENT, now(), body);

    assertRefused(
        deliver(body.replace("\"amount\": 4200", "\"amount\": 1"), signed), "no signature matches");
  }

  @Test
  void aTimestampOlderThanTheToleranceIsRefusedAndLogged() throws Exception {
    String body = event("evt_stale");

    assertRefused(deliver(body, signature(CURRENT, now() - 301, body)), "in the past");
  }

  @Test
  void aTimestampFurtherAheadThanTheToleranceIsRefusedAndLogged() throws Exception {
    String body = event("evt_future");

    assertRefused(deliver(body, signature(CURRENT, now() + 3600, body)), "in the future");
  }

  @Test
  void aMissingSignatureHeaderIsRefusedAndLogged() throws Exception {
    assertRefused(deliver(event("evt_unsigned"), null), "missing Stripe-Signature");
  }

  @Test
  void aMalformedSignatureHeaderIsRefusedAndLogged() throws Exception {
    assertRefused(deliver(event("evt_garbled"), "not-a-signature"), "malformed");
  }

  @Test
  void theSecurityLogKeepsNoPayload() throws Exception {
    String body = event("evt_secret_payload");

    deliver(body, signature(UNKNOWN, now(), body)).andExpect(status().isBadRequest());

    assertThat(
            jdbc.sql("SELECT count(*) FROM security_log WHERE reason LIKE '%pi_3Webhook%'")
                .query(Long.class)
                .single())
        .isZero();
  }
}
