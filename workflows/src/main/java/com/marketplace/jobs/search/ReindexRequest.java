package com.marketplace.jobs.search;

/**
 * The input of a re-index run. The api starts the first run with {@link #start}; each
 * continue-as-new carries the state on in the same record.
 *
 * @param jobId the ledger's job id; the key of the batch records
 * @param scope a {@link SearchScope} id
 * @param cursor the highest id done (0 before the first batch)
 * @param completed rows done so far
 * @param total rows counted when the job began, or -1 before they were counted
 */
public record ReindexRequest(String jobId, String scope, long cursor, long completed, long total) {

  public static ReindexRequest start(String jobId, SearchScope scope) {
    return new ReindexRequest(jobId, scope.id(), 0, 0, -1);
  }
}
