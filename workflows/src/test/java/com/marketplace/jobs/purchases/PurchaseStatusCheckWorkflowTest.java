package com.marketplace.jobs.purchases;

import static org.assertj.core.api.Assertions.assertThat;

import com.marketplace.jobs.common.FailureType;
import com.marketplace.jobs.common.TaskQueues;
import io.temporal.activity.Activity;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The purchase-status check on the time-skipping server, over activities that keep purchases in
 * memory: every pending purchase checked once per run in batches of 50, the stuck ones flagged and
 * notified after the checks, a provider outage ridden out, and continue-as-new carrying the cursor
 * and the totals.
 */
class PurchaseStatusCheckWorkflowTest {

  /** Purchases by id: what the provider says about each ("pending", "completed", "failed"). */
  static final class InMemoryPurchases implements PurchaseStatusActivities {
    final Map<Long, String> provider = new TreeMap<>();
    final Map<Long, String> status = new TreeMap<>();
    final List<Long> checks = new ArrayList<>();
    final Set<Long> stuck = new HashSet<>();
    final Set<Long> flagged = new HashSet<>();
    final List<Long> notices = new ArrayList<>();
    final Set<Long> sent = new HashSet<>();
    final Set<String> runIds = new HashSet<>();
    final List<String> steps = new ArrayList<>();
    LongSupplier clock = () -> 0;
    long outageEndsAt;

    void purchase(long id, String providerStatus, boolean pendingTooLong) {
      provider.put(id, providerStatus);
      status.put(id, "pending");
      if (pendingTooLong) {
        stuck.add(id);
      }
    }

    @Override
    public PurchaseCheckBatch purchasesCheckBatch(long afterId, int limit) {
      runIds.add(Activity.getExecutionContext().getInfo().getRunId());
      steps.add("check");
      if (clock.getAsLong() < outageEndsAt) {
        throw ApplicationFailure.newFailure(
            "Purchase provider answered HTTP 503", FailureType.PROVIDER_UNAVAILABLE.name());
      }
      PurchaseCheckBatch batch = PurchaseCheckBatch.from(afterId);
      for (Map.Entry<Long, String> purchase : status.entrySet()) {
        if (purchase.getKey() <= afterId || !purchase.getValue().equals("pending")) {
          continue;
        }
        if (batch.checked() == limit) {
          break;
        }
        long id = purchase.getKey();
        checks.add(id);
        String answer = provider.get(id);
        status.put(id, answer);
        batch =
            new PurchaseCheckBatch(
                id,
                batch.checked() + 1,
                batch.completed() + (answer.equals("completed") ? 1 : 0),
                batch.failed() + (answer.equals("failed") ? 1 : 0),
                batch.refused());
      }
      return batch;
    }

    @Override
    public int purchasesFlagStuck() {
      steps.add("flag");
      int count = 0;
      for (long id : stuck) {
        if (status.get(id).equals("pending") && flagged.add(id)) {
          notices.add(1_000_000 + id);
          count++;
        }
      }
      notices.sort(Long::compare);
      return count;
    }

    @Override
    public List<Long> purchasesUnsentStuckNotices(long afterId, int limit) {
      return notices.stream()
          .filter(id -> id > afterId && !sent.contains(id))
          .limit(limit)
          .toList();
    }

    @Override
    public StuckNoticeBatch purchasesSendStuckNotices(List<Long> touchpointIds) {
      steps.add("send");
      int count = 0;
      for (long id : touchpointIds) {
        if (sent.add(id)) {
          count++;
        }
      }
      return new StuckNoticeBatch(count, 0);
    }
  }

  private TestWorkflowEnvironment env;
  private final InMemoryPurchases activities = new InMemoryPurchases();

  @BeforeEach
  void start() {
    env = TestWorkflowEnvironment.newInstance();
    env.newWorker(TaskQueues.JOBS)
        .registerWorkflowImplementationFactory(
            PurchaseStatusCheckWorkflow.class, () -> new PurchaseStatusCheckWorkflowImpl(40));
    env.newWorker(TaskQueues.JOBS).registerActivitiesImplementations(activities);
    env.start();
  }

  @AfterEach
  void stop() {
    env.close();
  }

  private PurchaseStatusCheckWorkflow workflow() {
    WorkflowClient client = env.getWorkflowClient();
    return client.newWorkflowStub(
        PurchaseStatusCheckWorkflow.class,
        WorkflowOptions.newBuilder()
            .setTaskQueue(TaskQueues.JOBS)
            .setWorkflowId("purchase-status-checks-test")
            .build());
  }

  @Test
  void everyPendingPurchaseIsCheckedOnceInBatchesThenTheStuckOnesAreFlaggedAndNotified() {
    for (long id = 1; id <= 120; id++) {
      String answer = id % 10 == 0 ? "completed" : id % 15 == 0 ? "failed" : "pending";
      activities.purchase(id, answer, id == 3 || id == 30 || id == 77);
    }

    PurchaseStatusCheckRun run = workflow().run();

    // 12 completed (every tenth), 4 failed (15, 45, 75, 105); 30 completed before it could be
    // flagged, so 3 and 77 are flagged.
    assertThat(run)
        .isEqualTo(
            new PurchaseStatusCheckRun(
                PurchaseStatusCheckRun.DONE, 1_000_077, 120, 12, 4, 0, 2, 2, 0));
    assertThat(activities.checks).hasSize(120).doesNotHaveDuplicates();
    assertThat(activities.steps).containsExactly("check", "check", "check", "flag", "send");
    assertThat(activities.sent).containsExactlyInAnyOrder(1_000_003L, 1_000_077L);
  }

  @Test
  void aRunWithNoPendingPurchaseAsksOnceAndFlagsNothing() {
    PurchaseStatusCheckRun run = workflow().run();

    assertThat(run)
        .isEqualTo(new PurchaseStatusCheckRun(PurchaseStatusCheckRun.DONE, 0, 0, 0, 0, 0, 0, 0, 0));
    assertThat(activities.steps).containsExactly("check", "flag");
  }

  @Test
  void aProviderOutageOfTenMinutesIsRiddenOutWithinTheRun() {
    activities.purchase(1, "completed", false);
    activities.clock = env::currentTimeMillis;
    activities.outageEndsAt = env.currentTimeMillis() + Duration.ofMinutes(10).toMillis();

    PurchaseStatusCheckRun run = workflow().run();

    assertThat(run.completed()).isEqualTo(1);
    assertThat(env.currentTimeMillis()).isGreaterThanOrEqualTo(activities.outageEndsAt);
  }

  @Test
  void aLongRunContinuesAsNewFromWhereItStoppedAndCarriesItsTotals() {
    // 1,000 pending purchases: 20 check calls; the history limit of 40 events (about six per call)
    // makes the run continue as new several times.
    for (long id = 1; id <= 1_000; id++) {
      activities.purchase(id, id % 2 == 0 ? "completed" : "pending", id % 100 == 1);
    }

    PurchaseStatusCheckRun run = workflow().run();

    assertThat(run.checked()).isEqualTo(1_000);
    assertThat(run.completed()).isEqualTo(500);
    assertThat(run.flagged()).isEqualTo(10);
    assertThat(run.notified()).isEqualTo(10);
    assertThat(activities.checks).hasSize(1_000).doesNotHaveDuplicates();
    assertThat(activities.runIds).hasSizeGreaterThan(2);
  }
}
