package com.marketplace.jobs.payments;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Payment jobs ({@code jobs.payments.*}).
 *
 * @param financeEmail who is told, once per job, when a payment job failed for good
 *     (FINANCE_ALERT_EMAIL)
 * @param captureRetry shorter retry intervals for the Stripe capture than the workflow's own (90 s
 *     doubling), for tests and demos; null keeps the workflow's
 */
@Validated
@ConfigurationProperties("jobs.payments")
public record PaymentProperties(@NotBlank @Email String financeEmail, CaptureRetry captureRetry) {

  /**
   * @param initialInterval the wait before the first retry; doubles before each next one
   */
  public record CaptureRetry(Duration initialInterval) {}
}
