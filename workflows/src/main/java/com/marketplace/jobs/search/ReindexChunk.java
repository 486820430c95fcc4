package com.marketplace.jobs.search;

/**
 * What one {@link SearchReindexActivities#reindexBatches} call leaves behind.
 *
 * @param cursor the highest id done so far (by this job, over all calls)
 * @param completed rows done so far (by this job, over all calls)
 * @param finished true when a batch found nothing left after the cursor
 */
public record ReindexChunk(long cursor, long completed, boolean finished) {}
