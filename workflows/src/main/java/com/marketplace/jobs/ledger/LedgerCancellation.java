package com.marketplace.jobs.ledger;

import com.marketplace.jobs.common.FailureType;
import java.util.Set;

/**
 * When a job that did not complete counts as CANCELLED rather than FAILED, whoever writes its end
 * (the worker's ledger activities, the ledger reconciler): only when someone asked for the
 * cancellation ({@code jobs.cancel_requested_at} is set) and the workflow ended the way a
 * cancellation ends it: cancelled, terminated (the api terminates a job still waiting for its start
 * delay), or a saga that undid everything it changed ({@link FailureType#ROLLED_BACK}: a cancelled
 * saga compensates and ends so). A saga whose rollback was incomplete stays FAILED: a person must
 * look.
 */
public final class LedgerCancellation {

  private static final Set<String> CANCELLATION_ENDS =
      Set.of(
          FailureType.CANCELED.name(),
          FailureType.TERMINATED.name(),
          FailureType.ROLLED_BACK.name());

  private LedgerCancellation() {}

  /** Whether a job that ended with this error type ended as a requested cancellation ends it. */
  public static boolean isCancellationEnd(String errorType) {
    return CANCELLATION_ENDS.contains(errorType);
  }

  /**
   * The status a finished, not completed job gets, as SQL over the row being updated; needs the
   * boolean parameter {@code :cancellationEnd} ({@link #isCancellationEnd}).
   */
  public static final String FAILED_OR_CANCELLED_SQL =
      "CASE WHEN :cancellationEnd AND cancel_requested_at IS NOT NULL THEN 'CANCELLED'"
          + " ELSE 'FAILED' END";

  /** The resolution that goes with {@link #FAILED_OR_CANCELLED_SQL}: none for a cancelled job. */
  public static final String RESOLUTION_SQL =
      "CASE WHEN :cancellationEnd AND cancel_requested_at IS NOT NULL THEN NULL"
          + " ELSE 'UNRESOLVED' END";

  /**
   * The start time that goes with {@link #FAILED_OR_CANCELLED_SQL}: a cancelled job keeps the one
   * it had (none if it never ran), any other gets one if it had none.
   */
  public static final String STARTED_AT_SQL =
      "CASE WHEN :cancellationEnd AND cancel_requested_at IS NOT NULL THEN started_at"
          + " ELSE coalesce(started_at, now()) END";
}
