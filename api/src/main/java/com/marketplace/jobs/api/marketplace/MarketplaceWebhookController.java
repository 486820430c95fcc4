package com.marketplace.jobs.api.marketplace;

import com.marketplace.jobs.api.webhooks.WebhookReceipt;
import com.marketplace.jobs.api.webhooks.WebhookRefusal;
import com.marketplace.jobs.api.webhooks.WebhookSecurityLog;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /webhooks/marketplace}: verifies Billion's signature over the exact bytes received,
 * reads the event (400 naming the field for a signed but malformed one), accepts a handled type as
 * a marketplace job (or records it as ignored) and answers 200 once that is durable. A call that
 * does not verify is answered 400 (problem JSON), starts nothing and is written to the security
 * log.
 */
@RestController
class MarketplaceWebhookController {

  private final MarketplaceSignatureVerifier verifier;
  private final MarketplaceEvents events;
  private final WebhookSecurityLog securityLog;

  MarketplaceWebhookController(
      MarketplaceSignatureVerifier verifier,
      MarketplaceEvents events,
      WebhookSecurityLog securityLog) {
    this.verifier = verifier;
    this.events = events;
    this.securityLog = securityLog;
  }

  @PostMapping("/webhooks/marketplace")
  ResponseEntity<WebhookReceipt> receive(
      @RequestBody(required = false) byte[] body,
      @RequestHeader(name = MarketplaceSignatureVerifier.TIMESTAMP_HEADER, required = false)
          String timestamp,
      @RequestHeader(name = MarketplaceSignatureVerifier.SIGNATURE_HEADER, required = false)
          String signature,
      HttpServletRequest request) {
    try {
      verifier.verify(body, timestamp, signature);
    } catch (WebhookRefusal refusal) {
      throw securityLog.refused(
          MarketplaceEvents.PROVIDER,
          request,
          refusal,
          "The Billion-Timestamp or Billion-Signature header is missing or malformed, no"
              + " signature was made with a configured secret over this timestamp and body, or"
              + " the timestamp is too far from now.");
    }
    return ResponseEntity.ok(events.receive(events.read(body)));
  }
}
