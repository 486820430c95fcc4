package com.marketplace.jobs.api.mailgun;

import com.marketplace.jobs.api.webhooks.WebhookRefusal;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Verifies Mailgun's webhook signature (docs/integrations/mailgun.md#webhooks): {@code
 * signature.signature} is the lowercase hex HMAC-SHA256, keyed with the webhook signing key, of
 * {@code signature.timestamp} (unix seconds) followed by {@code signature.token}; it must match one
 * of the configured keys (compared in constant time), and the timestamp must be at most the maximum
 * age from now, in the past or in the future. The signature does not cover the event itself:
 * accepting each token once and only for a few minutes is what keeps a captured call from being
 * replayed with another event.
 */
@Component
class MailgunSignatureVerifier {

  private static final String HMAC = "HmacSHA256";

  /** Why a call is refused, and whether a retry by Mailgun could change that. */
  enum Refusal {
    /** Not verifiable or not signed with a configured key: Mailgun may retry (401). */
    NOT_VERIFIED,
    /** Signed correctly but too old or too far ahead: no retry can heal it (406). */
    STALE
  }

  /** A refusal with its kind. */
  static final class Refused extends WebhookRefusal {
    private final Refusal kind;

    Refused(Refusal kind, String reason) {
      super(reason);
      this.kind = kind;
    }

    Refusal kind() {
      return kind;
    }
  }

  private final MailgunWebhookProperties properties;
  private final Clock clock;

  @Autowired
  MailgunSignatureVerifier(MailgunWebhookProperties properties) {
    this(properties, Clock.systemUTC());
  }

  MailgunSignatureVerifier(MailgunWebhookProperties properties, Clock clock) {
    this.properties = properties;
    this.clock = clock;
  }

  /**
   * Returns when the signature is Mailgun's and fresh.
   *
   * @throws Refused with the reason for the security log
   */
  void verify(String timestamp, String token, String signature) {
    if (timestamp == null || token == null || signature == null) {
      throw new Refused(Refusal.NOT_VERIFIED, "signature object missing or incomplete");
    }
    if (!timestamp.matches("[0-9]{1,12}")) {
      throw new Refused(Refusal.NOT_VERIFIED, "malformed signature timestamp");
    }
    if (token.isBlank() || token.length() > 200) {
      throw new Refused(Refusal.NOT_VERIFIED, "malformed signature token");
    }
    byte[] offered = signature.strip().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
    boolean matched = false;
    for (String key : properties.webhookSigningKeys()) {
      matched |=
          MessageDigest.isEqual(
              signature(key, timestamp, token).getBytes(StandardCharsets.US_ASCII), offered);
    }
    if (!matched) {
      throw new Refused(
          Refusal.NOT_VERIFIED,
          "signature matches no configured signing key (unknown key or altered timestamp/token)");
    }
    long maxAge = properties.webhookMaxAge().toSeconds();
    long age = clock.instant().getEpochSecond() - Long.parseLong(timestamp);
    if (age > maxAge) {
      throw new Refused(Refusal.STALE, "timestamp more than " + maxAge + " s in the past");
    }
    if (-age > maxAge) {
      throw new Refused(Refusal.STALE, "timestamp more than " + maxAge + " s in the future");
    }
  }

  /** The lowercase hex HMAC-SHA256, keyed with the key's UTF-8 bytes, of timestamp + token. */
  static String signature(String key, String timestamp, String token) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), HMAC));
      mac.update(timestamp.getBytes(StandardCharsets.US_ASCII));
      return HexFormat.of().formatHex(mac.doFinal(token.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
