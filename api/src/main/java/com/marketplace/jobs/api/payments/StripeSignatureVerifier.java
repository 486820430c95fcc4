package com.marketplace.jobs.api.payments;

import com.google.gson.JsonParseException;
import com.marketplace.jobs.api.webhooks.WebhookRefusal;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;
import com.stripe.net.Webhook;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Verifies a Stripe webhook the way Stripe documents it, with stripe-java's {@link
 * Webhook#constructEvent}: the {@code Stripe-Signature} header {@code t=<unix seconds>,v1=<hex
 * HMAC-SHA256(secret, t + "." + body)>} must match one of the configured secrets, and {@code t} be
 * at most the tolerance (300 s) in the past. {@code constructEvent} accepts any timestamp in the
 * future, so one more than the tolerance ahead is refused here: a signature made for later use is
 * as suspect as a replayed old one.
 */
@Component
class StripeSignatureVerifier {

  private final StripeWebhookProperties properties;
  private final Clock clock;

  @Autowired
  StripeSignatureVerifier(StripeWebhookProperties properties) {
    this(properties, Clock.systemUTC());
  }

  StripeSignatureVerifier(StripeWebhookProperties properties, Clock clock) {
    this.properties = properties;
    this.clock = clock;
  }

  /**
   * The verified event.
   *
   * @throws WebhookRefusal with the reason for the security log
   */
  Event verify(String payload, String signatureHeader) {
    if (signatureHeader == null || signatureHeader.isBlank()) {
      throw new WebhookRefusal("missing Stripe-Signature header");
    }
    if (payload == null || payload.isEmpty()) {
      throw new WebhookRefusal("empty body");
    }
    long tolerance = properties.tolerance().toSeconds();
    List<String> failures = new ArrayList<>();
    for (String secret : properties.webhookSecrets()) {
      Event event;
      try {
        event = Webhook.constructEvent(payload, signatureHeader, secret, tolerance, clock);
      } catch (SignatureVerificationException e) {
        failures.add(e.getMessage());
        continue;
      } catch (JsonParseException | IllegalStateException e) {
        throw new WebhookRefusal("body is not a JSON Stripe event");
      }
      long timestamp = timestamp(signatureHeader);
      if (timestamp > clock.instant().getEpochSecond() + tolerance) {
        throw new WebhookRefusal("timestamp more than " + tolerance + " s in the future");
      }
      if (event.getId() == null || event.getType() == null) {
        throw new WebhookRefusal("event without id or type");
      }
      return event;
    }
    throw new WebhookRefusal(reason(failures, tolerance));
  }

  /** The most telling of stripe-java's reasons: a good signature that is too old says most. */
  private static String reason(List<String> failures, long tolerance) {
    if (failures.stream().anyMatch(m -> m.contains("tolerance"))) {
      return "timestamp more than " + tolerance + " s in the past";
    }
    if (failures.stream().anyMatch(m -> m.contains("Unable to extract"))) {
      return "malformed Stripe-Signature header";
    }
    if (failures.stream().anyMatch(m -> m.contains("expected scheme"))) {
      return "no v1 signature in the Stripe-Signature header";
    }
    return "no signature matches a configured secret (unknown secret or altered body)";
  }

  /** The {@code t=} value; constructEvent has already checked that it is there and a number. */
  private static long timestamp(String signatureHeader) {
    for (String item : signatureHeader.split(",")) {
      String[] pair = item.strip().split("=", 2);
      if (pair.length == 2 && pair[0].equals("t")) {
        try {
          return Long.parseLong(pair[1]);
        } catch (NumberFormatException e) {
          break;
        }
      }
    }
    throw new WebhookRefusal("malformed Stripe-Signature header");
  }
}
