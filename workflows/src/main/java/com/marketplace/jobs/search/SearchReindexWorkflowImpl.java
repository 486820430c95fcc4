package com.marketplace.jobs.search;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

public class SearchReindexWorkflowImpl implements SearchReindexWorkflow {

  /** Batches of 100 per activity call: about 10,000 rows, a few seconds of work. */
  static final int BATCHES_PER_CALL = 100;

  /**
   * Activity calls per run before continuing as new: each call adds a handful of events, so a run's
   * history stays well under a hundred events whatever the table's size.
   */
  static final int CALLS_PER_RUN = 10;

  /**
   * A call heartbeats after every batch; a worker that dies is noticed within the heartbeat timeout
   * and the call retried on another worker, resuming after the last finished batch. A batch is one
   * bulk request (the OpenSearch client gives up within 10 s to connect and 10 s to read) under a
   * share lock on its rows that may wait up to 10 s for a ban's batch: 60 s is well above one
   * batch, and the worker sends heartbeats every 5 s. Transient failures retry for a long while: a
   * re-index is worth finishing.
   */
  static final ActivityOptions OPTIONS =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(10))
          .setHeartbeatTimeout(Duration.ofSeconds(60))
          .setRetryOptions(
              RetryOptions.newBuilder()
                  .setInitialInterval(Duration.ofSeconds(1))
                  .setBackoffCoefficient(2.0)
                  .setMaximumInterval(Duration.ofMinutes(1))
                  .setMaximumAttempts(20)
                  .build())
          .build();

  private final SearchReindexActivities activities =
      Workflow.newActivityStub(SearchReindexActivities.class, OPTIONS);

  private ReindexProgress progress = new ReindexProgress("", 0, 0, 0);

  @Override
  public ReindexResult reindex(ReindexRequest request) {
    ReindexRequest state = request;
    progress = progressOf(state);
    if (state.total() < 0) {
      long total = activities.countRows(state.scope());
      state = new ReindexRequest(state.jobId(), state.scope(), state.cursor(), 0, total);
    }
    progress = progressOf(state);
    for (int call = 0; call < CALLS_PER_RUN; call++) {
      ReindexChunk chunk = activities.reindexBatches(state, BATCHES_PER_CALL);
      state =
          new ReindexRequest(
              state.jobId(), state.scope(), chunk.cursor(), chunk.completed(), state.total());
      progress = progressOf(state);
      if (chunk.finished()) {
        return new ReindexResult(state.jobId(), state.scope(), state.completed());
      }
      if (Workflow.getInfo().isContinueAsNewSuggested()) {
        break;
      }
    }
    // The ledger interceptor records COMPLETED only when a run returns: a continue-as-new leaves
    // the job PROCESSING and the next run's first attempt records its run id.
    Workflow.continueAsNew(state);
    throw new IllegalStateException("continueAsNew returned");
  }

  private static ReindexProgress progressOf(ReindexRequest state) {
    return new ReindexProgress(
        state.scope(), state.completed(), Math.max(0, state.total()), state.cursor());
  }

  @Override
  public ReindexProgress progress() {
    return progress;
  }
}
