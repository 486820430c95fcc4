package com.marketplace.jobs.api.payments;

import com.marketplace.jobs.api.webhooks.WebhookReceipt;
import com.marketplace.jobs.api.webhooks.WebhookRefusal;
import com.marketplace.jobs.api.webhooks.WebhookSecurityLog;
import com.stripe.model.Event;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /webhooks/stripe}: verifies the signature over the exact bytes received, accepts a
 * handled event as a payment job (or records it as ignored) and answers 200 once that is durable. A
 * call that does not verify is answered 400 (problem JSON), starts nothing and is written to the
 * security log.
 */
@RestController
class StripeWebhookController {

  static final String SIGNATURE_HEADER = "Stripe-Signature";

  private final StripeSignatureVerifier verifier;
  private final StripeEvents events;
  private final WebhookSecurityLog securityLog;

  StripeWebhookController(
      StripeSignatureVerifier verifier, StripeEvents events, WebhookSecurityLog securityLog) {
    this.verifier = verifier;
    this.events = events;
    this.securityLog = securityLog;
  }

  @PostMapping("/webhooks/stripe")
  ResponseEntity<WebhookReceipt> receive(
      @RequestBody(required = false) byte[] body,
      @RequestHeader(name = SIGNATURE_HEADER, required = false) String signature,
      HttpServletRequest request) {
    String payload = body == null ? "" : new String(body, StandardCharsets.UTF_8);
    Event event;
    try {
      event = verifier.verify(payload, signature);
    } catch (WebhookRefusal refusal) {
      throw securityLog.refused(
          StripeEvents.PROVIDER,
          request,
          refusal,
          "The Stripe-Signature header is missing or malformed, was not made with a configured"
              + " secret over this body, or its timestamp is too far from now.");
    }
    return ResponseEntity.ok(events.receive(event));
  }
}
