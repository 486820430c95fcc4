package com.marketplace.jobs.api.intake;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How jobs are accepted and handed to Temporal ({@code jobs.intake.*}).
 *
 * @param duplicateWindow a request without Idempotency-Key whose content equals a job accepted this
 *     recently returns that job instead of a new one
 * @param relayConcurrency how many StartWorkflow calls the relay makes at once
 * @param relayBatchSize how many due jobs the relay claims per database round trip
 * @param relayPollInterval how often the relay looks for due jobs when nothing wakes it
 * @param relayClaimLease how long a claimed job is reserved for one relay before another api
 *     instance may start it
 * @param relayMaxBackoff the longest wait before retrying a job whose start failed
 */
@ConfigurationProperties("jobs.intake")
public record IntakeProperties(
    @DefaultValue("10m") Duration duplicateWindow,
    @DefaultValue("8") int relayConcurrency,
    @DefaultValue("64") int relayBatchSize,
    @DefaultValue("1s") Duration relayPollInterval,
    @DefaultValue("30s") Duration relayClaimLease,
    @DefaultValue("5s") Duration relayMaxBackoff) {

  public IntakeProperties {
    if (duplicateWindow.isNegative()) {
      throw new IllegalArgumentException("jobs.intake.duplicate-window must not be negative");
    }
    if (relayConcurrency < 1 || relayBatchSize < 1) {
      throw new IllegalArgumentException(
          "jobs.intake.relay-concurrency and jobs.intake.relay-batch-size must be at least 1");
    }
  }
}
