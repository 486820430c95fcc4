package com.marketplace.jobs.relay;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How a process's relay starts accepted jobs ({@code jobs.relay.*}).
 *
 * @param enabled whether this process runs a relay at all
 * @param eager ask Temporal to hand the new workflow's first task straight back to this process
 *     (eager workflow start): only useful where a worker for the job's task queue runs in the same
 *     process; it saves the server a task dispatch per job
 * @param startDelay leave jobs younger than this to other relays; the api's relay waits so that
 *     workers start fresh jobs eagerly, and catches whatever they leave behind
 * @param concurrency how many StartWorkflow calls run at once
 * @param batchSize how many due jobs one claim takes
 * @param pollInterval how often the relay looks for due jobs when no NOTIFY wakes it
 * @param claimLease how long a claimed job is reserved before another relay may take it
 * @param maxBackoff the longest wait before retrying a job whose start failed
 * @param maxRefusedStarts how many times a start Temporal refuses for good (INVALID_ARGUMENT) is
 *     tried before the job becomes FAILED with {@code START_REFUSED}: more than one, because a
 *     refusal may come from a server being misconfigured for a moment rather than from the job
 */
@ConfigurationProperties("jobs.relay")
public record RelayProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("false") boolean eager,
    @DefaultValue("0s") Duration startDelay,
    @DefaultValue("8") int concurrency,
    @DefaultValue("64") int batchSize,
    @DefaultValue("1s") Duration pollInterval,
    @DefaultValue("30s") Duration claimLease,
    @DefaultValue("5s") Duration maxBackoff,
    @DefaultValue("3") int maxRefusedStarts) {

  public RelayProperties {
    if (concurrency < 1 || batchSize < 1 || maxRefusedStarts < 1) {
      throw new IllegalArgumentException(
          "jobs.relay.concurrency, jobs.relay.batch-size and jobs.relay.max-refused-starts must be"
              + " at least 1");
    }
    if (startDelay.isNegative() || pollInterval.isNegative() || pollInterval.isZero()) {
      throw new IllegalArgumentException(
          "jobs.relay.start-delay must not be negative and jobs.relay.poll-interval must be"
              + " positive");
    }
  }
}
