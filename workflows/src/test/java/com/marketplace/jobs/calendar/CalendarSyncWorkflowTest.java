package com.marketplace.jobs.calendar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The calendar sync run on the time-skipping server with activities over an in-memory set of
 * integrations: every integration synced once, one that keeps failing recorded and skipped, the
 * conflict check run once at the end.
 */
class CalendarSyncWorkflowTest {

  @RegisterExtension
  static final TestWorkflowExtension testWorkflow =
      TestWorkflowExtension.newBuilder()
          .registerWorkflowImplementationTypes(CalendarSyncWorkflowImpl.class)
          .setDoNotStart(true)
          .build();

  private static final long BROKEN = 7;

  private final CalendarSyncActivities activities =
      mock(CalendarSyncActivities.class, withSettings().withoutAnnotations());

  /** Integration id → times synced (successfully or recorded as failed). */
  private final Map<Long, Integer> done = new ConcurrentHashMap<>();

  private final Map<Long, String> failures = new ConcurrentHashMap<>();
  private final AtomicInteger brokenAttempts = new AtomicInteger();
  private final AtomicInteger checks = new AtomicInteger();
  private final Set<Long> integrations = Set.copyOf(LongStream.rangeClosed(1, 25).boxed().toList());
  private WorkflowClient client;
  private String taskQueue;

  @BeforeEach
  void setUp(TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    this.client = client;
    this.taskQueue = worker.getTaskQueue();
    when(activities.calendarIntegrationsToSync(anyInt()))
        .thenAnswer(
            call ->
                integrations.stream()
                    .filter(id -> !done.containsKey(id))
                    .sorted()
                    .limit((int) call.getArgument(0))
                    .toList());
    when(activities.calendarSyncIntegration(anyLong()))
        .thenAnswer(
            call -> {
              long id = call.getArgument(0);
              if (id == BROKEN) {
                brokenAttempts.incrementAndGet();
                throw ApplicationFailure.newFailure("Google Calendar answered 503", "x");
              }
              done.merge(id, 1, Integer::sum);
              return new IntegrationSync(id, id % 2 == 0, false, 2, 3, null);
            });
    doAnswer(
            call -> {
              long id = call.getArgument(0);
              failures.put(id, call.getArgument(1));
              done.merge(id, 1, Integer::sum);
              return null;
            })
        .when(activities)
        .calendarRecordSyncFailure(anyLong(), anyString());
    when(activities.calendarCheckConflicts())
        .thenAnswer(call -> new ConflictCheck(checks.incrementAndGet() == 1 ? 2 : 0, 1, 4));
    worker.registerActivitiesImplementations(activities);
    env.start();
  }

  @Test
  void everyIntegrationIsSyncedOnceAndOneThatKeepsFailingIsRecordedAfterItsRetries() {
    CalendarSyncWorkflow workflow =
        client.newWorkflowStub(
            CalendarSyncWorkflow.class,
            WorkflowOptions.newBuilder()
                .setTaskQueue(taskQueue)
                .setWorkflowId("calendar-sync-test")
                .build());

    CalendarSyncRun run = workflow.run();

    assertThat(done).containsOnlyKeys(integrations);
    assertThat(done.values()).containsOnly(1);
    assertThat(brokenAttempts).hasValue(3);
    assertThat(failures).containsOnlyKeys(BROKEN);
    assertThat(failures.get(BROKEN)).isEqualTo("Google Calendar answered 503");
    assertThat(checks).hasValue(1);
    assertThat(run)
        .isEqualTo(
            new CalendarSyncRun(
                25,
                (int) integrations.stream().filter(id -> id != BROKEN && id % 2 == 0).count(),
                1,
                24 * 2,
                24 * 3,
                2,
                1));
  }

  @Test
  void withNoIntegrationsOnlyTheConflictsAreChecked() {
    done.putAll(Map.of());
    integrations.forEach(id -> done.put(id, 0));
    CalendarSyncWorkflow workflow =
        client.newWorkflowStub(
            CalendarSyncWorkflow.class,
            WorkflowOptions.newBuilder().setTaskQueue(taskQueue).build());

    CalendarSyncRun run = workflow.run();

    assertThat(run).isEqualTo(new CalendarSyncRun(0, 0, 0, 0, 0, 2, 1));
    assertThat(List.copyOf(done.values())).containsOnly(0);
  }
}
