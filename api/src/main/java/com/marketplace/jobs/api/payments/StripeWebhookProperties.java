package com.marketplace.jobs.api.payments;

import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Stripe webhook verification ({@code jobs.stripe.*}, or STRIPE_WEBHOOK_SECRETS).
 *
 * @param webhookSecrets the endpoint's signing secrets ({@code whsec_...}); an event signed with
 *     any of them passes, so a secret can be rotated without downtime (configure old and new, roll
 *     the endpoint in Stripe, drop the old one). From the environment only, comma-separated.
 * @param tolerance how far the signed timestamp may be from now, in the past or in the future
 */
@Validated
@ConfigurationProperties("jobs.stripe")
public record StripeWebhookProperties(
    @NotEmpty List<String> webhookSecrets, @NotNull @DefaultValue("300s") Duration tolerance) {

  public StripeWebhookProperties {
    if (webhookSecrets != null) {
      webhookSecrets =
          webhookSecrets.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
  }

  @Override
  public String toString() {
    // The secrets must never reach a log line.
    return "StripeWebhookProperties[webhookSecrets=%d configured, tolerance=%s]"
        .formatted(webhookSecrets == null ? 0 : webhookSecrets.size(), tolerance);
  }
}
