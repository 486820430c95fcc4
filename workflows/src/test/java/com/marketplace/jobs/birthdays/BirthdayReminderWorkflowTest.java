package com.marketplace.jobs.birthdays;

import static org.assertj.core.api.Assertions.assertThat;

import com.marketplace.jobs.common.FailureType;
import com.marketplace.jobs.common.TaskQueues;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The birthday run's workflow on the time-skipping test server, over in-memory activities that owe
 * a number of reminders and send them 1,000 a batch: the summary, retries that do not count twice,
 * an outage ridden out, and continue-as-new carrying the totals.
 */
class BirthdayReminderWorkflowTest {

  /** Owes {@code owed} reminders, the first {@code lateOnes} of them late; sends 1,000 a batch. */
  static final class OwedReminders implements BirthdayActivities {
    volatile int owed;
    volatile int lateOnes;
    volatile int sentTotal;
    volatile int failBatchCalls;
    volatile java.util.function.LongSupplier clock = System::currentTimeMillis;
    volatile long outageEndsAt = -1;
    final Set<String> runIds = ConcurrentHashMap.newKeySet();

    @Override
    public int claimDueReminders() {
      return owed;
    }

    @Override
    public synchronized BatchProgress sendDueBatches(int maxBatches) {
      ActivityExecutionContext context = Activity.getExecutionContext();
      runIds.add(context.getInfo().getRunId());
      long now = clock.getAsLong();
      if (outageEndsAt > 0 && now < outageEndsAt) {
        throw ApplicationFailure.newFailure(
            "Mailgun answered HTTP 503", FailureType.PROVIDER_UNAVAILABLE.name());
      }
      BatchProgress progress =
          context.getHeartbeatDetails(BatchProgress.class).orElse(BatchProgress.none());
      for (int i = 0; i < maxBatches; i++) {
        int remaining = owed - sentTotal;
        if (remaining == 0) {
          return progress.withMore(false);
        }
        int batch = Math.min(1000, remaining);
        int late = Math.max(0, Math.min(lateOnes - sentTotal, batch));
        sentTotal += batch;
        progress = progress.plus(batch, late, 0);
        context.heartbeat(progress);
        if (failBatchCalls > 0) {
          // The attempt dies after the batch was sent: the retry must not count it again.
          failBatchCalls--;
          throw ApplicationFailure.newFailure(
              "worker lost", FailureType.PROVIDER_UNAVAILABLE.name());
        }
      }
      return progress.withMore(owed > sentTotal);
    }
  }

  private TestWorkflowEnvironment env;
  private final OwedReminders activities = new OwedReminders();

  @BeforeEach
  void start() {
    env = TestWorkflowEnvironment.newInstance();
    env.newWorker(TaskQueues.JOBS)
        .registerWorkflowImplementationFactory(
            BirthdayReminderWorkflow.class, () -> new BirthdayReminderWorkflowImpl(40));
    env.newWorker(TaskQueues.JOBS).registerActivitiesImplementations(activities);
    env.start();
  }

  @AfterEach
  void stop() {
    env.close();
  }

  private BirthdayReminderWorkflow workflow() {
    WorkflowClient client = env.getWorkflowClient();
    return client.newWorkflowStub(
        BirthdayReminderWorkflow.class,
        WorkflowOptions.newBuilder()
            .setTaskQueue(TaskQueues.JOBS)
            .setWorkflowId("birthday-reminders-test")
            .build());
  }

  @Test
  void everyOwedReminderIsSentInBatchesOfAThousandAndTheLateOnesCounted() {
    activities.owed = 2_500;
    activities.lateOnes = 1_200;

    BirthdaySummary summary = workflow().run();

    assertThat(summary).isEqualTo(new BirthdaySummary(2_500, 2_500, 1_200, 3, 0));
    assertThat(activities.sentTotal).isEqualTo(2_500);
  }

  @Test
  void aRunWithNothingOwedSendsNothing() {
    assertThat(workflow().run()).isEqualTo(BirthdaySummary.none());
    assertThat(activities.sentTotal).isZero();
  }

  @Test
  void anAttemptThatDiesAfterABatchIsRetriedAndItsBatchesAreCountedOnce() {
    activities.owed = 5_000;
    activities.failBatchCalls = 2;

    BirthdaySummary summary = workflow().run();

    assertThat(summary.sent()).isEqualTo(5_000);
    assertThat(summary.batches()).isEqualTo(5);
    assertThat(activities.sentTotal).isEqualTo(5_000);
  }

  @Test
  void aMailgunOutageOfAnHourIsRiddenOutWithinTheRun() {
    activities.owed = 1_500;
    activities.clock = env::currentTimeMillis;
    activities.outageEndsAt = env.currentTimeMillis() + Duration.ofHours(1).toMillis();

    BirthdaySummary summary = workflow().run();

    assertThat(summary.sent()).isEqualTo(1_500);
    assertThat(env.currentTimeMillis()).isGreaterThanOrEqualTo(activities.outageEndsAt);
  }

  @Test
  void aLongRunContinuesAsNewAndCarriesItsTotals() {
    // 20 batches per call: 30 calls for 600,000 reminders; the history limit of 40 events (about
    // six per call) makes the run continue as new several times.
    activities.owed = 600_000;
    activities.lateOnes = 10_000;

    BirthdaySummary summary = workflow().run();

    assertThat(summary).isEqualTo(new BirthdaySummary(600_000, 600_000, 10_000, 600, 0));
    assertThat(activities.runIds).hasSizeGreaterThan(2);
  }
}
