package com.marketplace.jobs.ledger;

/** Asks Temporal how a job's workflow ended. A port, so tests can answer for Temporal. */
interface WorkflowCloseLookup {

  /**
   * The latest run of the workflow with this id. Throws when Temporal cannot answer (unreachable,
   * an unknown namespace): the reconciler then leaves the row as it is.
   */
  WorkflowClose lookUp(String workflowId);
}
