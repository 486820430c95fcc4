package com.marketplace.jobs.search;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The steps of a bulk search re-index. Both are idempotent: counting reads only, and indexing
 * creates or replaces documents by id (and removes those of unpublished vehicles), so a batch done
 * twice leaves the same index. Nothing undoes a re-index; running it again is how it is repaired.
 */
@ActivityInterface
public interface SearchReindexActivities {

  /** How many rows the scope's table has now: the job's progress total. Reads only. */
  @ActivityMethod
  long countRows(String scope);

  /**
   * Re-indexes up to {@code maxBatches} batches of 100 rows with ids above the cursor, in key
   * order: one query builds a batch's documents, one bulk request writes them, and a row in {@code
   * search_reindex_batches} records the finished batch (job id, id range, documents, attempt).
   * Heartbeats the last id done after every batch and writes the job's progress to the ledger.
   *
   * <p>Idempotency key: the job id. A retried attempt starts after the highest of {@code
   * request.cursor()}, its heartbeat details and the last batch recorded for the job, so a finished
   * batch is never redone; its counts come from the records, so they stay exact.
   */
  @ActivityMethod
  ReindexChunk reindexBatches(ReindexRequest request, int maxBatches);
}
