package com.marketplace.jobs.search;

import static org.assertj.core.api.Assertions.assertThat;

import com.marketplace.jobs.common.TaskQueues;
import com.marketplace.jobs.ledger.InMemoryJobLedger;
import com.marketplace.jobs.ledger.JobLedgerWorkerInterceptor;
import io.temporal.activity.Activity;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactoryOptions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The re-index workflow on Temporal's time-skipping test server with a fake table of 250,000 rows
 * behind its activities and the real ledger interceptor in front of an in-memory ledger.
 */
class SearchReindexWorkflowTest {

  private static final int ROWS = 250_000;
  private static final int BATCH = 100;
  private static final String JOB_ID = "reindex-job-1";
  private static final String WORKFLOW_ID = "search_reindex-" + JOB_ID;

  private TestWorkflowEnvironment env;
  private InMemoryJobLedger ledger;
  private FakeTable table;

  /** A table of ids 1..ROWS, "indexed" in batches of 100, remembering every call it got. */
  static final class FakeTable implements SearchReindexActivities {

    final List<ReindexRequest> requests = new ArrayList<>();
    final Set<String> runIds = new LinkedHashSet<>();
    final AtomicInteger counts = new AtomicInteger();
    final List<String> ledgerStatusDuringCalls = new ArrayList<>();
    InMemoryJobLedger ledger;
    int blockAtCall = -1;
    final CountDownLatch blocked = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public long countRows(String scope) {
      counts.incrementAndGet();
      return ROWS;
    }

    @Override
    public synchronized ReindexChunk reindexBatches(ReindexRequest request, int maxBatches) {
      requests.add(request);
      runIds.add(Activity.getExecutionContext().getInfo().getRunId());
      ledgerStatusDuringCalls.add(ledger.row(WORKFLOW_ID).status);
      if (requests.size() == blockAtCall) {
        blocked.countDown();
        await(release);
      }
      long cursor = request.cursor();
      int batches = 0;
      while (batches < maxBatches && cursor < ROWS) {
        cursor = Math.min(ROWS, cursor + BATCH);
        batches++;
      }
      return new ReindexChunk(
          cursor, request.completed() + (cursor - request.cursor()), batches < maxBatches);
    }

    private static void await(CountDownLatch latch) {
      try {
        latch.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @BeforeEach
  void start() {
    ledger = new InMemoryJobLedger();
    table = new FakeTable();
    table.ledger = ledger;
    env =
        TestWorkflowEnvironment.newInstance(
            io.temporal.testing.TestEnvironmentOptions.newBuilder()
                .setWorkerFactoryOptions(
                    WorkerFactoryOptions.newBuilder()
                        .setWorkerInterceptors(new JobLedgerWorkerInterceptor(ledger))
                        .build())
                .build());
    Worker worker = env.newWorker(TaskQueues.JOBS);
    worker.registerWorkflowImplementationTypes(SearchReindexWorkflowImpl.class);
    worker.registerActivitiesImplementations(table, ledger);
    env.start();
  }

  @AfterEach
  void stop() {
    env.close();
  }

  private SearchReindexWorkflow newWorkflow() {
    return env.getWorkflowClient()
        .newWorkflowStub(
            SearchReindexWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(WORKFLOW_ID)
                .setTaskQueue(TaskQueues.JOBS)
                .build());
  }

  @Test
  void aLargeTableIsDoneInSeveralRunsThatCarryTheCursorAndTheCountsOver() {
    ReindexResult result =
        newWorkflow().reindex(ReindexRequest.start(JOB_ID, SearchScope.VEHICLES));

    assertThat(result).isEqualTo(new ReindexResult(JOB_ID, "vehicles", ROWS));
    // 2,500 batches at 100 per call: 25 calls that each do a full 100 and a last one that finds
    // nothing; at 10 calls per run that is three runs, i.e. two continue-as-new.
    assertThat(table.requests).hasSize(26);
    assertThat(table.runIds).hasSize(3);
    assertThat(table.counts).as("rows counted once, the total carried over").hasValue(1);
    for (int call = 0; call < table.requests.size(); call++) {
      ReindexRequest request = table.requests.get(call);
      long expectedCursor = (long) call * SearchReindexWorkflowImpl.BATCHES_PER_CALL * BATCH;
      assertThat(request)
          .as("call %d", call)
          .isEqualTo(new ReindexRequest(JOB_ID, "vehicles", expectedCursor, expectedCursor, ROWS));
    }
  }

  @Test
  void continueAsNewLeavesTheJobProcessingAndOnlyTheLastRunCompletesIt() {
    newWorkflow().reindex(ReindexRequest.start(JOB_ID, SearchScope.VEHICLES));

    // The ledger as each activity call found it, i.e. after every earlier run had ended.
    assertThat(table.ledgerStatusDuringCalls).containsOnly("PROCESSING");
    InMemoryJobLedger.Row row = ledger.row(WORKFLOW_ID);
    assertThat(row.status).isEqualTo("COMPLETED");
    assertThat(row.ends).as("the job ended once, by the last run").containsExactly("COMPLETED");
    assertThat(row.runId).isEqualTo(table.runIds.stream().reduce((a, b) -> b).orElseThrow());
    assertThat(row.attempts).isEqualTo(27);
  }

  @Test
  void theProgressQueryAnswersWhereTheJobIsAcrossRuns() throws Exception {
    table.blockAtCall = 13; // in the second run
    SearchReindexWorkflow workflow = newWorkflow();
    WorkflowClient.start(workflow::reindex, ReindexRequest.start(JOB_ID, SearchScope.VEHICLES));
    assertThat(table.blocked.await(30, TimeUnit.SECONDS)).isTrue();

    // A stub by workflow id queries the current run, as the CLI and the Web UI do.
    SearchReindexWorkflow current =
        env.getWorkflowClient().newWorkflowStub(SearchReindexWorkflow.class, WORKFLOW_ID);
    assertThat(current.progress())
        .isEqualTo(new ReindexProgress("vehicles", 120_000, ROWS, 120_000));
    table.release.countDown();

    assertThat(WorkflowStub.fromTyped(workflow).getResult(ReindexResult.class).completed())
        .isEqualTo(ROWS);
    assertThat(current.progress()).isEqualTo(new ReindexProgress("vehicles", ROWS, ROWS, ROWS));
  }
}
