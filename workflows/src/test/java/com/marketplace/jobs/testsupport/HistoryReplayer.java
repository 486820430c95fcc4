package com.marketplace.jobs.testsupport;

import com.marketplace.jobs.common.TaskQueues;
import com.marketplace.jobs.ledger.InMemoryJobLedger;
import com.marketplace.jobs.ledger.JobLedgerWorkerInterceptor;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactoryOptions;

/**
 * Replays histories recorded on the dev server (resources under {@code histories/}) against today's
 * workflow code with the ledger interceptor registered as the worker registers it: a change that
 * would break workflows already running fails the replay. Close it after the test.
 */
public final class HistoryReplayer implements AutoCloseable {

  private final TestWorkflowEnvironment environment;
  private final Worker worker;

  public HistoryReplayer(Class<?> workflowImplementation) {
    environment =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setWorkerFactoryOptions(
                    WorkerFactoryOptions.newBuilder()
                        .setWorkerInterceptors(
                            new JobLedgerWorkerInterceptor(new InMemoryJobLedger()))
                        .build())
                .build());
    worker = environment.newWorker(TaskQueues.JOBS);
    worker.registerWorkflowImplementationTypes(workflowImplementation);
  }

  /** Replays {@code histories/<name>}; throws on any nondeterminism. */
  public void replay(String name) throws Exception {
    WorkflowReplayer.replayWorkflowExecutionFromResource("histories/" + name, worker);
  }

  @Override
  public void close() {
    environment.close();
  }
}
