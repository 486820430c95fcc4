package com.marketplace.jobs.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import com.marketplace.jobs.common.FailureType;
import com.marketplace.jobs.ledger.InMemoryJobLedger;
import com.marketplace.jobs.ledger.JobLedgerWorkerInterceptor;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributeKey;
import io.temporal.common.SearchAttributes;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactoryOptions;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The retention workflow as a schedule runs it, with the worker's two interceptors: started with
 * the search attributes Temporal sets on scheduled runs, its run is recorded in the run log
 * (schedule id, scheduled time, outcome) and the ledger counts only its own activity's attempts.
 */
class ScheduleRunsRetentionWorkflowTest {

  private static final String SCHEDULE_ID = "schedule-runs-retention";
  private static final OffsetDateTime SCHEDULED =
      OffsetDateTime.of(2026, 12, 1, 3, 17, 0, 0, ZoneOffset.UTC);

  /** The run log's rows, in memory. */
  static final class InMemoryRunLog implements ScheduleRunActivities {
    final Map<String, ScheduledRunStart> started = new ConcurrentHashMap<>();
    final Map<String, List<String>> ends = new ConcurrentHashMap<>();

    @Override
    public void started(ScheduledRunStart run) {
      started.put(run.workflowId(), run);
    }

    @Override
    public void finished(
        String workflowId, String runId, ScheduledRunOutcome outcome, String errorType) {
      ends.computeIfAbsent(workflowId, id -> new CopyOnWriteArrayList<>())
          .add(outcome + (errorType == null ? "" : " " + errorType));
    }
  }

  private static final InMemoryJobLedger ledger = new InMemoryJobLedger();
  private static final InMemoryRunLog runLog = new InMemoryRunLog();

  @RegisterExtension
  static final TestWorkflowExtension testWorkflow =
      TestWorkflowExtension.newBuilder()
          .setWorkerFactoryOptions(
              WorkerFactoryOptions.newBuilder()
                  .setWorkerInterceptors(
                      new JobLedgerWorkerInterceptor(ledger), new ScheduledRunWorkerInterceptor())
                  .build())
          .registerWorkflowImplementationTypes(ScheduleRunsRetentionWorkflowImpl.class)
          .setDoNotStart(true)
          .build();

  private final ScheduleRunsRetentionActivities activities =
      mock(ScheduleRunsRetentionActivities.class, withSettings().withoutAnnotations());

  @BeforeEach
  void registerActivities(TestWorkflowEnvironment env, Worker worker) {
    taskQueue = worker.getTaskQueue();
    // The real server has them built in; the test server learns them here.
    env.registerSearchAttribute(
        ScheduledRunWorkerInterceptor.SCHEDULED_BY_ID, IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    env.registerSearchAttribute(
        ScheduledRunWorkerInterceptor.SCHEDULED_START_TIME,
        IndexedValueType.INDEXED_VALUE_TYPE_DATETIME);
    worker.registerActivitiesImplementations(activities, ledger, runLog);
    env.start();
  }

  private String taskQueue;

  private ScheduleRunsRetentionWorkflow scheduledRun(WorkflowClient client, String workflowId) {
    return client.newWorkflowStub(
        ScheduleRunsRetentionWorkflow.class,
        WorkflowOptions.newBuilder()
            .setWorkflowId(workflowId)
            .setTaskQueue(taskQueue)
            .setTypedSearchAttributes(
                SearchAttributes.newBuilder()
                    .set(
                        SearchAttributeKey.forKeyword(
                            ScheduledRunWorkerInterceptor.SCHEDULED_BY_ID),
                        SCHEDULE_ID)
                    .set(
                        SearchAttributeKey.forOffsetDateTime(
                            ScheduledRunWorkerInterceptor.SCHEDULED_START_TIME),
                        SCHEDULED)
                    .build())
            .build());
  }

  @Test
  void deletesBatchesUntilOneComesBackShortAndTheRunIsLogged(WorkflowClient client) {
    String workflowId = SCHEDULE_ID + "-2026-12-01T03:17:00Z";
    when(activities.deleteExpiredRunBatch(anyInt())).thenReturn(1000, 1000, 7);

    long deleted = scheduledRun(client, workflowId).deleteExpiredRuns();

    assertThat(deleted).isEqualTo(2007);
    verify(activities, times(3))
        .deleteExpiredRunBatch(ScheduleRunsRetentionWorkflowImpl.BATCH_SIZE);
    ScheduledRunStart start = runLog.started.get(workflowId);
    assertThat(start.scheduleId()).isEqualTo(SCHEDULE_ID);
    assertThat(start.workflowType()).isEqualTo("ScheduleRunsRetentionWorkflow");
    assertThat(start.taskQueue()).isEqualTo(taskQueue);
    assertThat(Instant.ofEpochMilli(start.scheduledAt())).isEqualTo(SCHEDULED.toInstant());
    assertThat(start.startedAt()).isGreaterThanOrEqualTo(start.workflowStartedAt());
    assertThat(runLog.ends.get(workflowId)).containsExactly("COMPLETED");
    InMemoryJobLedger.Row row = ledger.row(workflowId);
    assertThat(row.status).isEqualTo("COMPLETED");
    assertThat(row.attempts).as("the run log's own writes are not attempts").isEqualTo(3);
  }

  @Test
  void stopsAfterTheMostBatchesOneRunMayDelete(WorkflowClient client) {
    String workflowId = SCHEDULE_ID + "-2026-12-02T03:17:00Z";
    when(activities.deleteExpiredRunBatch(anyInt()))
        .thenReturn(ScheduleRunsRetentionWorkflowImpl.BATCH_SIZE);

    long deleted = scheduledRun(client, workflowId).deleteExpiredRuns();

    assertThat(deleted)
        .isEqualTo(
            (long) ScheduleRunsRetentionWorkflowImpl.MAX_BATCHES
                * ScheduleRunsRetentionWorkflowImpl.BATCH_SIZE);
    verify(activities, times(ScheduleRunsRetentionWorkflowImpl.MAX_BATCHES))
        .deleteExpiredRunBatch(anyInt());
  }

  @Test
  void aFailedRunIsLoggedFailedWithItsErrorType(WorkflowClient client) {
    String workflowId = SCHEDULE_ID + "-2026-12-03T03:17:00Z";
    when(activities.deleteExpiredRunBatch(anyInt()))
        .thenThrow(
            ApplicationFailure.newNonRetryableFailure(
                "schedule_runs is missing", FailureType.INVALID_INPUT.name()));

    assertThatThrownBy(() -> scheduledRun(client, workflowId).deleteExpiredRuns())
        .isInstanceOf(WorkflowFailedException.class);

    assertThat(runLog.ends.get(workflowId)).containsExactly("FAILED INVALID_INPUT");
    assertThat(ledger.row(workflowId).status).isEqualTo("FAILED");
  }

  @Test
  void aRunNoScheduleStartedIsNotInTheRunLog(WorkflowClient client) {
    String workflowId = "retention-by-hand";
    when(activities.deleteExpiredRunBatch(anyInt())).thenReturn(0);

    client
        .newWorkflowStub(
            ScheduleRunsRetentionWorkflow.class,
            WorkflowOptions.newBuilder().setWorkflowId(workflowId).setTaskQueue(taskQueue).build())
        .deleteExpiredRuns();

    assertThat(runLog.started).doesNotContainKey(workflowId);
    assertThat(runLog.ends).doesNotContainKey(workflowId);
  }
}
