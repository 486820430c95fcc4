package com.marketplace.jobs.api.jobs;

/** The ledger's job statuses. */
public enum JobStatus {
  PENDING,
  PROCESSING,
  COMPLETED,
  FAILED
}
