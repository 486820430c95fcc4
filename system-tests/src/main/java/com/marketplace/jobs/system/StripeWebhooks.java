package com.marketplace.jobs.system;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Stripe webhook events as Stripe renders and signs them, for the tests and benchmarks. */
public final class StripeWebhooks {

  private StripeWebhooks() {}

  private static String metadata(Long orderId) {
    return orderId == null ? "{}" : "{\"order_id\": \"" + orderId + "\"}";
  }

  public static String intentEvent(String eventId, String type, String pi, Long orderId) {
    String status =
        switch (type) {
          case "payment_intent.succeeded" -> "succeeded";
          case "payment_intent.amount_capturable_updated" -> "requires_capture";
          default -> "requires_payment_method";
        };
    return """
        {"id": "%s", "object": "event", "api_version": "2025-09-30.clover", "created": %d,
         "livemode": false, "pending_webhooks": 1,
         "request": {"id": null, "idempotency_key": null}, "type": "%s",
         "data": {"object": {"id": "%s", "object": "payment_intent", "amount": 12900,
                             "amount_capturable": 12900, "currency": "eur",
                             "capture_method": "manual", "status": "%s",
                             "latest_charge": "ch_%s", "metadata": %s}}}
        """
        .formatted(
            eventId,
            Instant.now().getEpochSecond(),
            type,
            pi,
            status,
            pi.substring(3),
            metadata(orderId));
  }

  public static String chargeEvent(
      String eventId, String type, String pi, Long orderId, boolean refunded, long amountRefunded) {
    return """
        {"id": "%s", "object": "event", "api_version": "2025-09-30.clover", "created": %d,
         "livemode": false, "pending_webhooks": 1, "type": "%s",
         "data": {"object": {"id": "ch_%s", "object": "charge", "amount": 12900,
                             "amount_refunded": %d, "currency": "eur", "captured": true,
                             "refunded": %s, "paid": true, "payment_intent": "%s",
                             "metadata": %s}}}
        """
        .formatted(
            eventId,
            Instant.now().getEpochSecond(),
            type,
            pi.substring(3),
            amountRefunded,
            refunded,
            pi,
            metadata(orderId));
  }

  /** {@code t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>}. */
  public static String signature(String secret, long timestamp, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] digest = mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
      return "t=" + timestamp + ",v1=" + HexFormat.of().formatHex(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The {@code Stripe-Signature} header for {@code body} signed with {@code secret} now. */
  public static String signedNow(String secret, String body) {
    return signature(secret, Instant.now().getEpochSecond(), body);
  }
}
