package com.marketplace.jobs.api.jobs;

/**
 * The ledger's job statuses. PENDING until the first activity runs (a delayed job until its due
 * time, then until it runs); COMPLETED, FAILED and CANCELLED are final. CANCELLED: {@code POST
 * /api/jobs/{id}/cancel} asked for it and the job never ran, or its workflow was cancelled and
 * undid what it had changed.
 */
public enum JobStatus {
  PENDING,
  PROCESSING,
  COMPLETED,
  FAILED,
  CANCELLED
}
