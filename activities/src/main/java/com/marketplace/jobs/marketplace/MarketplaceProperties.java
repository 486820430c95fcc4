package com.marketplace.jobs.marketplace;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Where and how to reach the Billion marketplace ({@code jobs.marketplace.*}, or MARKETPLACE_*
 * environment variables).
 *
 * @param baseUrl Billion's API root, e.g. {@code https://api.billion.example}; may carry a path
 *     prefix; a local fake in development and tests
 * @param apiKey sent as {@code Authorization: Bearer <apiKey>}; from the environment, never from a
 *     committed file
 * @param signingSecret the shared secret the requests are signed with (HMAC-SHA256); from the
 *     environment, never from a committed file
 * @param timeout connect and read timeout of one call
 */
@Validated
@ConfigurationProperties("jobs.marketplace")
public record MarketplaceProperties(
    @NotNull URI baseUrl,
    @NotBlank String apiKey,
    @NotBlank String signingSecret,
    @NotNull Duration timeout) {

  @Override
  public String toString() {
    // The key and the secret must never reach a log line.
    return "MarketplaceProperties[baseUrl=%s, timeout=%s]".formatted(baseUrl, timeout);
  }
}
