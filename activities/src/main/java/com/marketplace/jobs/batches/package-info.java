/**
 * Bulk work in batches: {@link com.marketplace.jobs.batches.BatchSizer} adapts the batch size to
 * the load within the configured range; bulk activities run one short transaction per batch,
 * heartbeat the last id done and write the job's progress after each batch.
 */
package com.marketplace.jobs.batches;
