package com.marketplace.jobs.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyLong;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The vehicle reminders run on the time-skipping server with activities over an in-memory list of
 * owed reminders: paging, retries that send nothing twice, continue-as-new on a huge backlog.
 */
class VehicleReminderWorkflowTest {

  @RegisterExtension
  static final TestWorkflowExtension testWorkflow =
      TestWorkflowExtension.newBuilder()
          .registerWorkflowImplementationTypes(VehicleReminderWorkflowImpl.class)
          .setDoNotStart(true)
          .build();

  private final VehicleReminderActivities activities =
      mock(VehicleReminderActivities.class, withSettings().withoutAnnotations());

  /** The owed reminders' ids, and which of them were sent (in order of sending). */
  private final List<Long> owed = new ArrayList<>();

  private final List<Long> sent = new ArrayList<>();
  private final AtomicInteger claims = new AtomicInteger();
  private TestWorkflowEnvironment env;
  private WorkflowClient client;
  private String taskQueue;

  @BeforeEach
  void setUp(TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    this.env = env;
    this.client = client;
    this.taskQueue = worker.getTaskQueue();
    when(activities.claimVehicleReminders())
        .thenAnswer(call -> claims.incrementAndGet() == 1 ? owed.size() : 0);
    when(activities.unsentVehicleReminders(anyLong(), anyInt()))
        .thenAnswer(
            call -> {
              long after = call.getArgument(0);
              int limit = call.getArgument(1);
              return owed.stream()
                  .filter(id -> id > after && !sent.contains(id))
                  .limit(limit)
                  .toList();
            });
    when(activities.sendVehicleReminders(anyList())).thenAnswer(call -> send(call.getArgument(0)));
    worker.registerActivitiesImplementations(activities);
    env.start();
  }

  private ReminderBatch send(List<Long> batch) {
    int count = 0;
    int late = 0;
    for (long id : batch) {
      if (!sent.contains(id)) {
        sent.add(id);
        count++;
        // Every tenth reminder stands for one whose reminder day has passed.
        late += id % 10 == 0 ? 1 : 0;
      }
    }
    return new ReminderBatch(count, late, 0);
  }

  private VehicleReminderRun run() {
    return client
        .newWorkflowStub(
            VehicleReminderWorkflow.class,
            WorkflowOptions.newBuilder()
                .setTaskQueue(taskQueue)
                .setWorkflowId("vehicle-reminders-test")
                .build())
        .run();
  }

  @Test
  void everyOwedReminderIsSentOnceInBatchesOfFifty() {
    LongStream.rangeClosed(1, 120).forEach(owed::add);

    VehicleReminderRun result = run();

    assertThat(sent).containsExactlyElementsOf(owed);
    assertThat(result.claimed()).isEqualTo(120);
    assertThat(result.sent()).isEqualTo(120);
    assertThat(result.late()).as("the batches' late counts add up").isEqualTo(12);
  }

  @Test
  void nothingOwedMeansNoSendAtAll() {
    VehicleReminderRun result = run();

    assertThat(result).isEqualTo(new VehicleReminderRun(0, 0, 0, 0));
    assertThat(sent).isEmpty();
  }

  @Test
  void aMailgunOutageIsRiddenOutAndTheRetrySendsOnlyWhatWasLeft() {
    LongStream.rangeClosed(1, 10).forEach(owed::add);
    AtomicInteger calls = new AtomicInteger();
    doAnswer(
            call -> {
              List<Long> batch = call.getArgument(0);
              if (calls.incrementAndGet() <= 5) {
                // Mailgun takes the first half, then goes away for a while.
                send(batch.subList(0, 5));
                throw ApplicationFailure.newFailure("Mailgun answered 503", "PROVIDER_UNAVAILABLE");
              }
              return send(batch);
            })
        .when(activities)
        .sendVehicleReminders(anyList());
    long before = env.currentTimeMillis();

    VehicleReminderRun result = run();

    assertThat(sent).containsExactlyElementsOf(owed);
    assertThat(result.sent()).as("what the successful attempt sent").isEqualTo(5);
    assertThat(env.currentTimeMillis() - before).as("retries back off").isGreaterThan(20_000);
  }

  @Test
  void aHugeBacklogContinuesAsNewAndStillSendsEachReminderOnce() {
    int reminders =
        VehicleReminderWorkflowImpl.BATCH_SIZE * VehicleReminderWorkflowImpl.BATCHES_PER_RUN + 30;
    LongStream.rangeClosed(1, reminders).forEach(owed::add);

    VehicleReminderRun last = run();

    assertThat(sent).hasSize(reminders).doesNotHaveDuplicates();
    assertThat(claims.get()).as("the continued run claims again (nothing new)").isEqualTo(2);
    assertThat(last.sent()).as("the last run sent the rest").isEqualTo(30);
  }
}
