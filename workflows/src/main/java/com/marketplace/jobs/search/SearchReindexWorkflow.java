package com.marketplace.jobs.search;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** Rebuilds one search index from its table, in resumable batches. See package-info. */
@WorkflowInterface
public interface SearchReindexWorkflow {

  /**
   * Runs (or, after a continue-as-new, goes on with) the re-index. Idempotent per job: the batch
   * records are keyed by the job id. Fails only when the search service keeps refusing (a
   * PROVIDER_REJECTED bulk, or retries exhausted); what was indexed stays indexed.
   */
  @WorkflowMethod
  ReindexResult reindex(ReindexRequest request);

  @QueryMethod
  ReindexProgress progress();
}
