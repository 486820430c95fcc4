package com.marketplace.jobs.ledger;

/**
 * Counts activity attempts in the ledger. Called directly (not through Temporal) by the activity
 * interceptor on the worker thread that runs the attempt, so it costs no server round trip.
 * Implementations must not throw: the ledger is a view of the work and must never fail it.
 */
public interface JobAttemptRecorder {

  /**
   * One more activity attempt started for the job run by {@code workflowId}: the job is PROCESSING.
   * If the job had finished under another run (an operator reset a failed workflow), it is
   * PROCESSING again and a failed job's resolution becomes RETRIED.
   */
  void attemptStarted(String workflowId, String runId);

  /** The attempt failed; the job's last error becomes this one (it may still be retried). */
  void attemptFailed(String workflowId, String errorType, String errorMessage);
}
