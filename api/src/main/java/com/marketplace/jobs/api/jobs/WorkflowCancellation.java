package com.marketplace.jobs.api.jobs;

/**
 * What {@link JobCancellation} asks of Temporal, by workflow id (the latest run). A port, so tests
 * can answer for Temporal.
 */
interface WorkflowCancellation {

  /**
   * Ends a workflow that has run nothing yet (it waits for its start delay). Returns false when
   * Temporal has no running workflow of that id (it closed meanwhile).
   */
  boolean terminate(String workflowId, String reason);

  /**
   * Asks a running workflow to cancel: its activities are cancelled and a saga compensates before
   * it closes. Returns false when Temporal has no running workflow of that id. Asking twice is
   * harmless.
   */
  boolean requestCancel(String workflowId);
}
