package com.marketplace.jobs.scheduling;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The run log's retention ({@code jobs.schedules.run-log-retention}).
 *
 * @param runLogRetention how long run-log rows are kept after their scheduled time; a little more
 *     than a year by default, so a year's reliability can be reported
 */
@ConfigurationProperties("jobs.schedules")
public record RunLogProperties(@DefaultValue("400d") Duration runLogRetention) {

  public RunLogProperties {
    if (runLogRetention.isNegative() || runLogRetention.isZero()) {
      throw new IllegalArgumentException("jobs.schedules.run-log-retention must be positive");
    }
  }
}
