package com.marketplace.jobs.api.marketplace;

import com.marketplace.jobs.api.webhooks.WebhookRefusal;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Verifies a Billion webhook (docs/integrations/billion-marketplace.md): {@code Billion-Signature}
 * holds one or more comma-separated {@code v1=<lowercase hex HMAC-SHA256(secret, timestamp + "." +
 * raw body)>} and one of them must match one of the configured secrets (compared in constant time);
 * {@code Billion-Timestamp} (unix seconds) must be at most the tolerance (300 s) from now, in the
 * past or in the future.
 */
@Component
class MarketplaceSignatureVerifier {

  static final String TIMESTAMP_HEADER = "Billion-Timestamp";
  static final String SIGNATURE_HEADER = "Billion-Signature";

  private static final String HMAC = "HmacSHA256";

  private final MarketplaceWebhookProperties properties;
  private final Clock clock;

  @Autowired
  MarketplaceSignatureVerifier(MarketplaceWebhookProperties properties) {
    this(properties, Clock.systemUTC());
  }

  MarketplaceSignatureVerifier(MarketplaceWebhookProperties properties, Clock clock) {
    this.properties = properties;
    this.clock = clock;
  }

  /**
   * Returns when the call is Billion's.
   *
   * @throws WebhookRefusal with the reason for the security log
   */
  void verify(byte[] body, String timestampHeader, String signatureHeader) {
    if (timestampHeader == null || timestampHeader.isBlank()) {
      throw new WebhookRefusal("missing " + TIMESTAMP_HEADER + " header");
    }
    if (signatureHeader == null || signatureHeader.isBlank()) {
      throw new WebhookRefusal("missing " + SIGNATURE_HEADER + " header");
    }
    if (body == null || body.length == 0) {
      throw new WebhookRefusal("empty body");
    }
    String timestamp = timestampHeader.strip();
    if (!timestamp.matches("[0-9]{1,12}")) {
      throw new WebhookRefusal("malformed " + TIMESTAMP_HEADER + " header");
    }
    List<byte[]> offered = new ArrayList<>();
    for (String item : signatureHeader.split(",")) {
      String[] pair = item.strip().split("=", 2);
      if (pair.length == 2 && pair[0].equals("v1")) {
        offered.add(pair[1].strip().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
      }
    }
    if (offered.isEmpty()) {
      throw new WebhookRefusal("no v1 signature in the " + SIGNATURE_HEADER + " header");
    }
    if (!matchesASecret(timestamp, body, offered)) {
      throw new WebhookRefusal(
          "no signature matches a configured secret (unknown secret or altered body)");
    }
    long tolerance = properties.webhookTolerance().toSeconds();
    long age = clock.instant().getEpochSecond() - Long.parseLong(timestamp);
    if (age > tolerance) {
      throw new WebhookRefusal("timestamp more than " + tolerance + " s in the past");
    }
    if (-age > tolerance) {
      throw new WebhookRefusal("timestamp more than " + tolerance + " s in the future");
    }
  }

  /** Every secret against every offered signature, each comparison in constant time. */
  private boolean matchesASecret(String timestamp, byte[] body, List<byte[]> offered) {
    boolean matched = false;
    for (String secret : properties.webhookSecrets()) {
      byte[] expected = signature(secret, timestamp, body).getBytes(StandardCharsets.US_ASCII);
      for (byte[] candidate : offered) {
        matched |= MessageDigest.isEqual(expected, candidate);
      }
    }
    return matched;
  }

  /** The lowercase hex HMAC-SHA256, keyed with the secret's UTF-8 bytes, of timestamp.body. */
  static String signature(String secret, String timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), HMAC));
      mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
