package com.marketplace.jobs.ledger;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * When a job counts as stuck ({@code jobs.stuck.*}), for /ops, the alerts and the gauge alike.
 *
 * @param pendingGrace how long past its due time ({@code not_before}, else when it was accepted) a
 *     job may stay PENDING without starting
 * @param processingQuiet how long a PROCESSING job may go without a ledger write (its {@code
 *     updated_at}: an attempt, a failure, progress)
 * @param retryingAttempt the pending activity's attempt from which a job counts as retrying (2: the
 *     first retry)
 * @param retryingLookups the most PROCESSING jobs with a failed attempt whose workflow one check
 *     describes in Temporal, least recently changed first (one call each)
 * @param failingTypeCount failures of one type within the window that make the type listed
 * @param failingTypeWindow that window, counted back from now by the jobs' finish times
 * @param limit the most stuck jobs one check lists
 */
@ConfigurationProperties("jobs.stuck")
public record StuckJobsProperties(
    @DefaultValue("10m") Duration pendingGrace,
    @DefaultValue("15m") Duration processingQuiet,
    @DefaultValue("2") int retryingAttempt,
    @DefaultValue("50") int retryingLookups,
    @DefaultValue("5") int failingTypeCount,
    @DefaultValue("15m") Duration failingTypeWindow,
    @DefaultValue("200") int limit) {

  public StuckJobsProperties {
    if (pendingGrace.isNegative()
        || processingQuiet.isNegative()
        || failingTypeWindow.isNegative()
        || failingTypeWindow.isZero()
        || retryingAttempt < 2
        || retryingLookups < 0
        || failingTypeCount < 1
        || limit < 1) {
      throw new IllegalArgumentException(
          "jobs.stuck: pending-grace and processing-quiet must not be negative,"
              + " failing-type-window must be positive, retrying-attempt at least 2,"
              + " retrying-lookups not negative, failing-type-count and limit at least 1");
    }
  }
}
