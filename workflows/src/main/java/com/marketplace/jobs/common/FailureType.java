package com.marketplace.jobs.common;

/**
 * The {@code type} of every {@link io.temporal.failure.ApplicationFailure} our activities throw,
 * and of the ends the ledger records for a job without an activity failing: a start Temporal
 * refused (the relay), a workflow that ended in Temporal without its own last ledger write (the
 * ledger reconciler). The ledger records it as the job's error type; tests assert on it.
 */
public enum FailureType {
  /** The job's input cannot be processed as given (unknown template, missing parameter). */
  INVALID_INPUT(false),
  /** Something the job refers to does not exist (a deleted customer). */
  NOT_FOUND(false),
  /** A provider refused the request with a 4xx that retrying cannot heal. */
  PROVIDER_REJECTED(false),
  /** The company (or another subject) is not in a state the job can start from. */
  CONFLICT(false),
  /**
   * A late attempt of a saga step found its run's rollback begun (the run is fenced): it changes
   * nothing. Seen only on attempts whose result Temporal no longer waits for.
   */
  FENCED(false),
  /** A saga failed at one of its steps and every completed step was undone. */
  ROLLED_BACK(false),
  /** A saga failed and some of its completed steps could not be undone: a person must look. */
  ROLLBACK_INCOMPLETE(false),
  /**
   * Temporal refused to start the job's workflow with an error no retry can heal (the input over
   * the server's blob size limit, say), {@code jobs.relay.max-refused-starts} times: the job never
   * ran.
   */
  START_REFUSED(false),
  /** An operator (or a reset) terminated the workflow; the message has the reason Temporal kept. */
  TERMINATED(false),
  /** The workflow reached its execution or run timeout in Temporal. */
  TIMED_OUT(false),
  /** The workflow was cancelled (also what the interceptor records for a cancelled job). */
  CANCELED(false),
  /**
   * Temporal no longer has the job's workflow (deleted, or kept past the namespace's retention)
   * while the ledger had it unfinished: how the job ended is unknown.
   */
  WORKFLOW_NOT_FOUND(false),
  /** A provider was unreachable, timed out, throttled (429) or failed (5xx): worth retrying. */
  PROVIDER_UNAVAILABLE(true);

  private final boolean retryable;

  FailureType(boolean retryable) {
    this.retryable = retryable;
  }

  public boolean retryable() {
    return retryable;
  }
}
