/**
 * Job status, reports and cancellation: {@code GET /api/jobs/{jobId}}, {@code GET /api/jobs}
 * (filter by status and type, page with {@code before}), {@code GET /api/jobs/stats}, read from the
 * ledger the intake writes and the worker's interceptor keeps current; and {@code POST
 * /api/jobs/{jobId}/cancel} ({@link com.marketplace.jobs.api.jobs.JobCancellation}), which cancels
 * a job in the ledger at once when nothing has run yet, or asks Temporal to cancel its workflow.
 */
package com.marketplace.jobs.api.jobs;
