package com.marketplace.jobs.retention;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The ledger's retention ({@code jobs.retention.*}).
 *
 * @param completedAfter finished jobs (COMPLETED, CANCELLED, FAILED and RESOLVED) are deleted this
 *     long after they finished; FAILED jobs nobody resolved are kept whatever their age
 * @param rollupsKept roll-up rows are kept this long after their day: longer than the reliability
 *     report's longest span (366 days), so a year can be reported after the ledger rows are gone
 * @param recomputeDays the roll-ups of this many days before today are recomputed every run (their
 *     jobs may still finish or be retried); older ones are final. Fewer days than completedAfter,
 *     so a day is never recomputed after some of its rows were deleted
 * @param batchSize jobs deleted per transaction
 */
@ConfigurationProperties("jobs.retention")
public record JobRetentionProperties(
    @DefaultValue("90d") Duration completedAfter,
    @DefaultValue("400d") Duration rollupsKept,
    @DefaultValue("7") int recomputeDays,
    @DefaultValue("1000") int batchSize) {

  public JobRetentionProperties {
    if (completedAfter.toDays() < 1) {
      throw new IllegalArgumentException("jobs.retention.completed-after must be at least 1d");
    }
    if (rollupsKept.compareTo(completedAfter) < 0) {
      throw new IllegalArgumentException(
          "jobs.retention.rollups-kept must be at least jobs.retention.completed-after");
    }
    if (recomputeDays < 1 || recomputeDays >= completedAfter.toDays()) {
      throw new IllegalArgumentException(
          "jobs.retention.recompute-days must be at least 1 and fewer than the days of"
              + " jobs.retention.completed-after");
    }
    if (batchSize < 1 || batchSize > 10_000) {
      throw new IllegalArgumentException("jobs.retention.batch-size must be 1 to 10000");
    }
  }
}
