package com.marketplace.jobs.api.intake;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How jobs are accepted ({@code jobs.intake.*}); how they are started is {@code jobs.relay.*}.
 *
 * @param duplicateWindow a request without Idempotency-Key whose content equals a job accepted this
 *     recently returns that job instead of a new one
 * @param maxDelay how far ahead a trigger's {@code notBefore} or {@code delaySeconds} may put a
 *     job's due time
 * @param notBeforeGrace how far in the past a {@code notBefore} may be and still be accepted (due
 *     at once); a caller's clock may be a little ahead of ours
 */
@ConfigurationProperties("jobs.intake")
public record IntakeProperties(
    @DefaultValue("10m") Duration duplicateWindow,
    @DefaultValue("30d") Duration maxDelay,
    @DefaultValue("5m") Duration notBeforeGrace) {

  public IntakeProperties {
    if (duplicateWindow.isNegative()) {
      throw new IllegalArgumentException("jobs.intake.duplicate-window must not be negative");
    }
    if (maxDelay.isNegative() || maxDelay.toSeconds() < 1) {
      throw new IllegalArgumentException("jobs.intake.max-delay must be at least 1s");
    }
    if (notBeforeGrace.isNegative()) {
      throw new IllegalArgumentException("jobs.intake.not-before-grace must not be negative");
    }
  }
}
