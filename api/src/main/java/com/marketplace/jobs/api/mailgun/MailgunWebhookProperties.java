package com.marketplace.jobs.api.mailgun;

import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Verification of Mailgun's webhooks ({@code jobs.mailgun.*}, or MAILGUN_WEBHOOK_SIGNING_KEYS).
 *
 * @param webhookSigningKeys Mailgun's HTTP webhook signing key, and the next one while it is
 *     rotated; a call signed with any of them passes. From the environment only, comma-separated.
 * @param webhookMaxAge how far the signature's timestamp may be from now, either way (5 minutes)
 */
@Validated
@ConfigurationProperties("jobs.mailgun")
public record MailgunWebhookProperties(
    @NotEmpty List<String> webhookSigningKeys,
    @NotNull @DefaultValue("5m") Duration webhookMaxAge) {

  public MailgunWebhookProperties {
    if (webhookSigningKeys != null) {
      webhookSigningKeys =
          webhookSigningKeys.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
  }

  @Override
  public String toString() {
    // The keys must never reach a log line.
    return "MailgunWebhookProperties[webhookSigningKeys=%d configured, webhookMaxAge=%s]"
        .formatted(webhookSigningKeys == null ? 0 : webhookSigningKeys.size(), webhookMaxAge);
  }
}
