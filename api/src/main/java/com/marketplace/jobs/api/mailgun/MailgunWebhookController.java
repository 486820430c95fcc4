package com.marketplace.jobs.api.mailgun;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.marketplace.jobs.api.webhooks.WebhookReceipt;
import com.marketplace.jobs.api.webhooks.WebhookRefusal;
import com.marketplace.jobs.api.webhooks.WebhookSecurityLog;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /webhooks/mailgun}: Mailgun's JSON webhook {@code {"signature": {"timestamp",
 * "token", "signature"}, "event-data": {...}}}. A verified, fresh, first-seen call is recorded and
 * answered 200. Refused, with a security-log row (channel {@code mailgun}) and problem JSON:
 *
 * <ul>
 *   <li>401 when the signature is missing, malformed or made with no configured key. Mailgun
 *       retries non-2xx answers other than 406 for about 8 hours: if the key was rotated in the
 *       wrong order, its retries still arrive once the key is configured.
 *   <li>406 when the signature is Mailgun's but the timestamp is stale (or too far ahead), the
 *       token was seen before (a replay; the first call with it was recorded), or the event cannot
 *       be read. None of these can change on a retry, and 406 is what makes Mailgun stop.
 * </ul>
 */
@RestController
class MailgunWebhookController {

  static final String PROVIDER = "mailgun";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DETAIL =
      "The signature object is missing or malformed, was not made with a configured webhook"
          + " signing key, is too old or too far ahead, or its token was used before.";

  private final MailgunSignatureVerifier verifier;
  private final MailgunDeliveryEvents events;
  private final WebhookSecurityLog securityLog;

  MailgunWebhookController(
      MailgunSignatureVerifier verifier,
      MailgunDeliveryEvents events,
      WebhookSecurityLog securityLog) {
    this.verifier = verifier;
    this.events = events;
    this.securityLog = securityLog;
  }

  @PostMapping("/webhooks/mailgun")
  ResponseEntity<WebhookReceipt> receive(
      @RequestBody(required = false) byte[] body, HttpServletRequest request) {
    JsonNode call = parse(body);
    JsonNode signature = call.path("signature");
    String token = text(signature.path("token"));
    try {
      verifier.verify(text(signature.path("timestamp")), token, text(signature.path("signature")));
    } catch (MailgunSignatureVerifier.Refused refused) {
      HttpStatus status =
          refused.kind() == MailgunSignatureVerifier.Refusal.STALE
              ? HttpStatus.NOT_ACCEPTABLE
              : HttpStatus.UNAUTHORIZED;
      throw securityLog.refused(PROVIDER, request, refused, status, DETAIL);
    }
    Optional<MailgunDeliveryEvents.Event> event =
        MailgunDeliveryEvents.Event.read(call.path("event-data"));
    if (event.isEmpty()) {
      throw securityLog.refused(
          PROVIDER,
          request,
          new WebhookRefusal("signed, but event-data lacks an id, an event or a timestamp"),
          HttpStatus.NOT_ACCEPTABLE,
          "The event-data object must carry id, event and timestamp.");
    }
    MailgunDeliveryEvents.Outcome outcome = events.record(token, event.get());
    if (outcome == MailgunDeliveryEvents.Outcome.REPLAYED) {
      throw securityLog.refused(
          PROVIDER,
          request,
          new WebhookRefusal("token used before (replay)"),
          HttpStatus.NOT_ACCEPTABLE,
          DETAIL);
    }
    return ResponseEntity.ok(
        new WebhookReceipt(
            event.get().id(), outcome.name().toLowerCase(java.util.Locale.ROOT), null, null, null));
  }

  private static JsonNode parse(byte[] body) {
    if (body == null || body.length == 0) {
      return JSON.createObjectNode();
    }
    try {
      JsonNode node = JSON.readTree(body);
      return node == null ? JSON.createObjectNode() : node;
    } catch (IOException e) {
      return JSON.createObjectNode();
    }
  }

  private static String text(JsonNode node) {
    return node.isValueNode() ? node.asText() : null;
  }
}
