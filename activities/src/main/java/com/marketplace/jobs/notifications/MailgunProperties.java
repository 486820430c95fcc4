package com.marketplace.jobs.notifications;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Where and how to reach Mailgun ({@code jobs.mailgun.*}, or MAILGUN_* environment variables).
 *
 * @param baseUrl {@code https://api.mailgun.net} (US) or {@code https://api.eu.mailgun.net}; a
 *     local fake in development and tests
 * @param domain the sending domain, e.g. {@code mg.example.com}
 * @param apiKey the private API key; from the environment, never from a committed file
 * @param from the From header, e.g. {@code Rentals <no-reply@mg.example.com>}
 * @param timeout connect and read timeout of one call
 */
@Validated
@ConfigurationProperties("jobs.mailgun")
public record MailgunProperties(
    @NotNull URI baseUrl,
    @NotBlank String domain,
    @NotBlank String apiKey,
    @NotBlank String from,
    @NotNull Duration timeout) {

  @Override
  public String toString() {
    // The key must never reach a log line.
    return "MailgunProperties[baseUrl=%s, domain=%s, from=%s, timeout=%s]"
        .formatted(baseUrl, domain, from, timeout);
  }
}
