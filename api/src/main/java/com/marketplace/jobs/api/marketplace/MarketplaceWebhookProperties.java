package com.marketplace.jobs.api.marketplace;

import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Verification of Billion's webhook ({@code jobs.marketplace.*}, or MARKETPLACE_WEBHOOK_SECRETS).
 *
 * @param webhookSecrets the shared secrets Billion signs events with: the current one and, while a
 *     secret is rotated, the next; an event signed with any of them passes. From the environment
 *     only, comma-separated.
 * @param webhookTolerance how far {@code Billion-Timestamp} may be from now, either way
 */
@Validated
@ConfigurationProperties("jobs.marketplace")
public record MarketplaceWebhookProperties(
    @NotEmpty List<String> webhookSecrets,
    @NotNull @DefaultValue("300s") Duration webhookTolerance) {

  public MarketplaceWebhookProperties {
    if (webhookSecrets != null) {
      webhookSecrets =
          webhookSecrets.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
  }

  @Override
  public String toString() {
    // The secrets must never reach a log line.
    return "MarketplaceWebhookProperties[webhookSecrets=%d configured, webhookTolerance=%s]"
        .formatted(webhookSecrets == null ? 0 : webhookSecrets.size(), webhookTolerance);
  }
}
