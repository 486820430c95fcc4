package com.marketplace.jobs.ledger;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.Set;

/**
 * The end of a job in its ledger row, called by {@link JobLedgerWorkerInterceptor} as local
 * activities: they run in the worker's own process inside the current workflow task, so they cost
 * no extra round trip to the Temporal server.
 *
 * <p>Each is idempotent: it sets a status keyed by the workflow id, so a replayed or retried call
 * writes the same row to the same state. Rows are matched by workflow id; a workflow with no ledger
 * row (started by hand with the CLI) updates nothing.
 */
@ActivityInterface(namePrefix = "Ledger")
public interface JobLedgerActivities {

  /** Activity type names of this interface, which the attempt counter leaves out. */
  Set<String> ACTIVITY_TYPES = Set.of("LedgerMarkCompleted", "LedgerMarkFailed");

  /** The job becomes COMPLETED with its finish time. */
  @ActivityMethod
  void markCompleted(String workflowId);

  /**
   * The job becomes FAILED/UNRESOLVED with the error's type and message, or CANCELLED (no
   * resolution) when its cancellation was requested and the error is how a cancellation ends a
   * workflow ({@link LedgerCancellation}). The message must be free of personal data; the
   * implementation also masks anything that looks like an email address.
   */
  @ActivityMethod
  void markFailed(String workflowId, String errorType, String errorMessage);
}
