package com.marketplace.jobs.notifications;

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
 * Replays histories recorded from real runs on the dev server (bin/run, exported with {@code
 * temporal workflow show --output json}) against today's workflow code and ledger interceptor: a
 * change that would break the workflows already running in production fails here.
 */
class NotificationWorkflowReplayTest {

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
    worker.registerWorkflowImplementationTypes(NotificationWorkflowImpl.class);
  }

  @AfterEach
  void close() {
    environment.close();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "notification-completed.json",
        "notification-retried-then-completed.json",
        "notification-rejected-by-mailgun.json"
      })
  void recordedHistoriesReplayWithoutNondeterminism(String history) {
    assertThatCode(
            () ->
                WorkflowReplayer.replayWorkflowExecutionFromResource(
                    "histories/" + history, worker))
        .doesNotThrowAnyException();
  }
}
