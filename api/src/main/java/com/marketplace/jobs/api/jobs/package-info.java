/**
 * Job status and reports: {@code GET /api/jobs/{jobId}}, {@code GET /api/jobs} (filter by status
 * and type, page with {@code before}), {@code GET /api/jobs/stats}. Read-only, from the ledger the
 * intake writes and the worker's interceptor keeps current.
 */
package com.marketplace.jobs.api.jobs;
