package com.marketplace.jobs.ledger;

/**
 * What Temporal says of a job's workflow, its latest run: still running, how it closed, or that
 * Temporal has no such workflow.
 *
 * @param failureType for FAILED: the root cause's type, as the ledger interceptor would record it
 * @param detail for FAILED the failure's message, for TERMINATED the reason Temporal recorded
 */
record WorkflowClose(Kind kind, String failureType, String detail) {

  enum Kind {
    /** Running, or continued as new (the latest run of the chain is running). */
    RUNNING,
    COMPLETED,
    FAILED,
    TERMINATED,
    TIMED_OUT,
    CANCELED,
    NOT_FOUND
  }

  static WorkflowClose of(Kind kind) {
    return new WorkflowClose(kind, null, null);
  }
}
