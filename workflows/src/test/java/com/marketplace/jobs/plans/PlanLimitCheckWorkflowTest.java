package com.marketplace.jobs.plans;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
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
 * The plan-limit run on the time-skipping server with activities over an in-memory list of tenants:
 * every tenant is checked once per run, page by page, each page held back before its emails go out,
 * and a failing holdback call is retried without checking anyone twice.
 */
class PlanLimitCheckWorkflowTest {

  @RegisterExtension
  static final TestWorkflowExtension testWorkflow =
      TestWorkflowExtension.newBuilder()
          .registerWorkflowImplementationTypes(PlanLimitCheckWorkflowImpl.class)
          .setDoNotStart(true)
          .build();

  private final PlanLimitActivities activities =
      mock(PlanLimitActivities.class, withSettings().withoutAnnotations());

  private final List<Long> tenants = new ArrayList<>();
  private final List<String> calls = new ArrayList<>();
  private final AtomicInteger holdbackFailures = new AtomicInteger();
  private WorkflowClient client;
  private String taskQueue;

  @BeforeEach
  void setUp(TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    this.client = client;
    this.taskQueue = worker.getTaskQueue();
    when(activities.planLimitsTenantPage(anyLong(), anyInt()))
        .thenAnswer(
            call -> {
              long after = call.getArgument(0);
              int limit = call.getArgument(1);
              return tenants.stream().filter(id -> id > after).limit(limit).toList();
            });
    when(activities.planLimitsCheckTenants(anyList()))
        .thenAnswer(
            call -> {
              List<Long> page = call.getArgument(0);
              calls.add("check " + page.size());
              return new PlanCheckBatch(page.size(), 2, 1, 3, 0);
            });
    when(activities.planLimitsApplyHoldbacks(anyList()))
        .thenAnswer(
            call -> {
              if (holdbackFailures.getAndDecrement() > 0) {
                throw new IllegalStateException("marketplace unavailable");
              }
              List<Long> page = call.getArgument(0);
              calls.add("hold " + page.size());
              return new HoldbackBatch(3, 0);
            });
    when(activities.planLimitsSendNotices(anyList()))
        .thenAnswer(
            call -> {
              List<Long> page = call.getArgument(0);
              calls.add("email " + page.size());
              return 1;
            });
    worker.registerActivitiesImplementations(activities);
    env.start();
  }

  private PlanLimitRun run() {
    return client
        .newWorkflowStub(
            PlanLimitCheckWorkflow.class,
            WorkflowOptions.newBuilder().setTaskQueue(taskQueue).build())
        .run();
  }

  @Test
  void everyTenantIsCheckedOncePageByPageAndHeldBackBeforeItsEmails() {
    LongStream.rangeClosed(1, 250).forEach(tenants::add);

    PlanLimitRun result = run();

    assertThat(result).isEqualTo(new PlanLimitRun(250, 6, 3, 9, 0, 3));
    assertThat(calls)
        .containsExactly(
            "check 100",
            "hold 100",
            "email 100",
            "check 100",
            "hold 100",
            "email 100",
            "check 50",
            "hold 50",
            "email 50");
  }

  @Test
  void aFailingHoldbackIsRetriedAndNoTenantIsCheckedTwice() {
    LongStream.rangeClosed(1, 10).forEach(tenants::add);
    holdbackFailures.set(2);

    PlanLimitRun result = run();

    assertThat(result.checked()).isEqualTo(10);
    assertThat(calls).containsExactly("check 10", "hold 10", "email 10");
  }

  @Test
  void noTenantsNothingToDo() {
    assertThat(run()).isEqualTo(new PlanLimitRun(0, 0, 0, 0, 0, 0));
    assertThat(calls).isEmpty();
  }
}
