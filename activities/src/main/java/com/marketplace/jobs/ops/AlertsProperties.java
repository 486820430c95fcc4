package com.marketplace.jobs.ops;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where operations alerts go and what they link to ({@code jobs.alerts.*}).
 *
 * @param email the operations address every alert is emailed to; required in production
 * @param webhookUrl the webhook every alert is POSTed to as Slack-compatible JSON; blank: none. A
 *     secret (a Slack webhook URL carries its token): from the environment, never logged
 * @param publicBaseUrl the api's address as operators reach it, for the links in alerts
 * @param lookback failed jobs finished longer ago than this are not alerted (a first deployment
 *     does not alert the whole history)
 * @param missedRunGrace how late a scheduled run may start before it counts as missed
 * @param webhookTimeout each phase of a webhook call (connect, answer) ends within this
 */
@Validated
@ConfigurationProperties("jobs.alerts")
public record AlertsProperties(
    @NotBlank @Email String email,
    String webhookUrl,
    @DefaultValue("http://localhost:8080") String publicBaseUrl,
    @DefaultValue("1h") Duration lookback,
    @DefaultValue("5m") Duration missedRunGrace,
    @DefaultValue("5s") Duration webhookTimeout) {

  public AlertsProperties {
    if (lookback.isNegative()
        || lookback.isZero()
        || missedRunGrace.isNegative()
        || webhookTimeout.isNegative()
        || webhookTimeout.isZero()) {
      throw new IllegalArgumentException(
          "jobs.alerts: lookback and webhook-timeout must be positive, missed-run-grace not"
              + " negative");
    }
    publicBaseUrl =
        publicBaseUrl.endsWith("/")
            ? publicBaseUrl.substring(0, publicBaseUrl.length() - 1)
            : publicBaseUrl;
  }

  /** Whether alerts are posted to a webhook. */
  public boolean webhookEnabled() {
    return webhookUrl != null && !webhookUrl.isBlank();
  }

  /** Without the webhook URL, which is a secret. */
  @Override
  public String toString() {
    return ("AlertsProperties[email=%s, webhookUrl=%s, publicBaseUrl=%s, lookback=%s,"
            + " missedRunGrace=%s, webhookTimeout=%s]")
        .formatted(
            email,
            webhookEnabled() ? "(set)" : "(none)",
            publicBaseUrl,
            lookback,
            missedRunGrace,
            webhookTimeout);
  }
}
