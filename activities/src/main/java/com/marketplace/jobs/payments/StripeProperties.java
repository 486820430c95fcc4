package com.marketplace.jobs.payments;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * How the worker reaches Stripe ({@code jobs.stripe.*}, or STRIPE_* environment variables).
 *
 * @param apiBase {@code https://api.stripe.com}; stripe-mock (or the proxy in front of it) in
 *     development and tests
 * @param apiKey the secret key ({@code sk_live_...}, {@code rk_live_...}); from the environment
 *     only, never from a committed file
 * @param connectTimeout connect timeout of one call
 * @param readTimeout read timeout of one call: an attempt that times out is retried with the same
 *     idempotency key
 */
@Validated
@ConfigurationProperties("jobs.stripe")
public record StripeProperties(
    @NotNull URI apiBase,
    @NotBlank String apiKey,
    @NotNull Duration connectTimeout,
    @NotNull Duration readTimeout) {

  @Override
  public String toString() {
    // The key must never reach a log line.
    return "StripeProperties[apiBase=%s, connectTimeout=%s, readTimeout=%s]"
        .formatted(apiBase, connectTimeout, readTimeout);
  }
}
