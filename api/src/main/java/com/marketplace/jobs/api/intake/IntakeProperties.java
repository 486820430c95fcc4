package com.marketplace.jobs.api.intake;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How jobs are accepted ({@code jobs.intake.*}); how they are started is {@code jobs.relay.*}.
 *
 * @param duplicateWindow a request without Idempotency-Key whose content equals a job accepted this
 *     recently returns that job instead of a new one
 */
@ConfigurationProperties("jobs.intake")
public record IntakeProperties(@DefaultValue("10m") Duration duplicateWindow) {

  public IntakeProperties {
    if (duplicateWindow.isNegative()) {
      throw new IllegalArgumentException("jobs.intake.duplicate-window must not be negative");
    }
  }
}
