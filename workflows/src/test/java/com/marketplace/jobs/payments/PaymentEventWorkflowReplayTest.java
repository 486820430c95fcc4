package com.marketplace.jobs.payments;

import static org.assertj.core.api.Assertions.assertThatCode;

import com.marketplace.jobs.common.TaskQueues;
import com.marketplace.jobs.ledger.InMemoryJobLedger;
import com.marketplace.jobs.ledger.JobLedgerWorkerInterceptor;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactoryOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Replays payment workflow histories recorded on the dev server (the system test stack: api,
 * worker, stripe-mock behind the proxy; exported with {@code WorkflowClient.fetchHistory}) against
 * today's workflow code and ledger interceptor: a change that would break running payment jobs
 * fails here. Record new ones whenever the workflow changes shape.
 */
class PaymentEventWorkflowReplayTest {

  private TestWorkflowEnvironment environment;
  private Worker worker;

  @BeforeEach
  void createWorker() {
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
    worker.registerWorkflowImplementationTypes(PaymentEventWorkflowImpl.class);
  }

  @AfterEach
  void close() {
    environment.close();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "payment-captured.json",
        "payment-retried-then-captured.json",
        "payment-rejected-then-alerted.json",
        "payment-refunded.json"
      })
  void recordedHistoriesReplayWithoutNondeterminism(String history) {
    assertThatCode(
            () ->
                WorkflowReplayer.replayWorkflowExecutionFromResource(
                    "histories/" + history, worker))
        .doesNotThrowAnyException();
  }
}
