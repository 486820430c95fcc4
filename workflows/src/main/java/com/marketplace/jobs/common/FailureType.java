package com.marketplace.jobs.common;

/**
 * The {@code type} of every {@link io.temporal.failure.ApplicationFailure} our activities throw.
 * The ledger records it as the job's error type; tests assert on it.
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
