package com.marketplace.jobs.scheduling;

/** How a scheduled run ended, as the run log's {@code outcome} column has it. */
public enum ScheduledRunOutcome {
  RUNNING,
  COMPLETED,
  FAILED,
  CANCELED
}
