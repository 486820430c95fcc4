package com.marketplace.jobs.batches;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How bulk steps size their batches ({@code jobs.batches.*}).
 *
 * @param minSize the smallest batch, whatever the load
 * @param maxSize the largest batch, however fast the database answers
 * @param targetDuration how long one batch (one transaction) should take; the next batch's size
 *     follows from how long the last ones took per row, so a busy database gets smaller batches
 */
@ConfigurationProperties("jobs.batches")
public record BatchProperties(
    @DefaultValue("50") int minSize,
    @DefaultValue("100") int maxSize,
    @DefaultValue("250ms") Duration targetDuration) {

  public BatchProperties {
    if (minSize < 1 || maxSize < minSize) {
      throw new IllegalArgumentException(
          "jobs.batches: min-size must be at least 1 and max-size at least min-size, not "
              + minSize
              + " and "
              + maxSize);
    }
    if (targetDuration.isNegative() || targetDuration.isZero()) {
      throw new IllegalArgumentException("jobs.batches.target-duration must be positive");
    }
  }

  public BatchSizer newSizer() {
    return new BatchSizer(minSize, maxSize, targetDuration);
  }
}
