/**
 * Bulk re-indexing of the marketplace's search (issue 4): {@code POST /api/search/reindex} with a
 * {@link com.marketplace.jobs.search.SearchScope} rebuilds that index from the platform's table.
 *
 * <p>{@link com.marketplace.jobs.search.SearchReindexWorkflowImpl} counts the rows once, then calls
 * {@link com.marketplace.jobs.search.SearchReindexActivities#reindexBatches} again and again; each
 * call pages through the table by primary key, 100 rows per batch, one set-based query and one
 * OpenSearch bulk request per batch, up to a bounded number of batches, and returns the cursor (the
 * last id done). Every finished batch is recorded in {@code search_reindex_batches} and
 * heartbeated, so a retried call (a killed worker) resumes after the last finished batch and never
 * redoes one. After a bounded number of calls (or when Temporal suggests it) the workflow continues
 * as new with its cursor and counts, so its history stays small whatever the table's size. The
 * {@code progress} query and the ledger's progress columns say how far it is.
 *
 * <p>Each batch holds its vehicle rows {@code FOR SHARE} until its bulk request is written, so a
 * concurrent ban's unpublish of them waits, and the ban's later removal of their documents is never
 * undone by the re-index (the activity's class comment says why).
 */
package com.marketplace.jobs.search;
