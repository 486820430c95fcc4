package com.marketplace.jobs.moderation;

import static com.marketplace.jobs.moderation.ModerationFailures.conflict;
import static com.marketplace.jobs.moderation.ModerationFailures.failureOfType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoMoreInteractions;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import com.marketplace.jobs.common.FailureType;
import com.marketplace.jobs.ledger.InMemoryJobLedger;
import com.marketplace.jobs.ledger.JobLedgerWorkerInterceptor;
import io.temporal.activity.Activity;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mockito.InOrder;

class MarketplaceToggleWorkflowTest {

  private static final String JOB_ID = "toggle-job-1";
  private static final long TENANT_ID = 7L;
  private static final MarketplaceToggleRequest DISABLE =
      new MarketplaceToggleRequest(JOB_ID, TENANT_ID, false);

  /** What countToggleScope reports: 3 companies + 4 models + 250 vehicles = 257. */
  private static final ToggleScope SCOPE = new ToggleScope(3, 4, 250);

  private static final InMemoryJobLedger ledger = new InMemoryJobLedger();

  @RegisterExtension
  static final TestWorkflowExtension testWorkflow =
      TestWorkflowExtension.newBuilder()
          .setWorkerFactoryOptions(
              WorkerFactoryOptions.newBuilder()
                  .setWorkerInterceptors(new JobLedgerWorkerInterceptor(ledger))
                  .build())
          .registerWorkflowImplementationTypes(MarketplaceToggleWorkflowImpl.class)
          // As the worker sets it: heartbeats (and so cancellations) within seconds.
          .setWorkerOptions(
              WorkerOptions.newBuilder()
                  .setMaxHeartbeatThrottleInterval(Duration.ofSeconds(1))
                  .build())
          .setDoNotStart(true)
          .build();

  private final TenantMarketplaceActivities activities =
      mock(TenantMarketplaceActivities.class, withSettings().withoutAnnotations());

  /** The toggle's forward steps after the count (disabling), with their exact calls and undos. */
  enum Step {
    COMPANIES(
        "switch companies",
        a ->
            a.switchCompanies(
                new ToggleStep(
                    JOB_ID, TENANT_ID, false, new BatchProgress("switch companies", 0, 257))),
        a -> a.restoreCompanies(new JobStep(JOB_ID))),
    MODELS(
        "switch vehicle models",
        a ->
            a.switchModels(
                new ToggleStep(
                    JOB_ID, TENANT_ID, false, new BatchProgress("switch vehicle models", 3, 257))),
        a -> a.restoreModels(new JobStep(JOB_ID))),
    LISTINGS(
        "withdraw listings",
        a ->
            a.updateListings(
                new ToggleStep(
                    JOB_ID, TENANT_ID, false, new BatchProgress("withdraw listings", 7, 257))),
        a -> a.restoreListings(new JobStep(JOB_ID)));

    final String stepName;
    final Consumer<TenantMarketplaceActivities> call;
    final Consumer<TenantMarketplaceActivities> compensation;

    Step(
        String stepName,
        Consumer<TenantMarketplaceActivities> call,
        Consumer<TenantMarketplaceActivities> compensation) {
      this.stepName = stepName;
      this.call = call;
      this.compensation = compensation;
    }
  }

  @BeforeEach
  void registerActivities(TestWorkflowEnvironment env, Worker worker) {
    when(activities.countToggleScope(any())).thenReturn(SCOPE);
    when(activities.switchCompanies(any())).thenReturn(3L);
    when(activities.switchModels(any())).thenReturn(4L);
    when(activities.updateListings(any())).thenReturn(250L);
    worker.registerActivitiesImplementations(activities, ledger);
    env.start();
  }

  @Test
  void aSuccessfulToggleRunsEveryStepOnceInOrderAndUndoesNothing(
      MarketplaceToggleWorkflow workflow) {
    MarketplaceToggleResult result = workflow.toggle(DISABLE);

    assertThat(result).isEqualTo(new MarketplaceToggleResult(JOB_ID, TENANT_ID, false, 3, 4, 250));
    InOrder inOrder = inOrder(activities);
    inOrder.verify(activities).countToggleScope(new ToggleStep(JOB_ID, TENANT_ID, false, null));
    for (Step step : Step.values()) {
      step.call.accept(inOrder.verify(activities));
    }
    inOrder.verify(activities).restoredChanges(new JobStep(JOB_ID));
    verifyNoMoreInteractions(activities);
    assertThat(workflow.progress()).isEqualTo(new ModerationProgress("done", 257, 257));
    assertThat(ledger.row(workflowId(workflow)).status).isEqualTo("COMPLETED");
  }

  @Test
  void aRunThatFindsChangesRestoredByAnEarlierRollbackAppliesEveryStepOnceMore(
      MarketplaceToggleWorkflow workflow) {
    when(activities.restoredChanges(new JobStep(JOB_ID))).thenReturn(2L);

    workflow.toggle(DISABLE);

    InOrder inOrder = inOrder(activities);
    for (int pass = 1; pass <= 2; pass++) {
      inOrder.verify(activities).countToggleScope(new ToggleStep(JOB_ID, TENANT_ID, false, null));
      for (Step step : Step.values()) {
        step.call.accept(inOrder.verify(activities));
      }
    }
    verify(activities, never()).fence(any());
    assertThat(ledger.row(workflowId(workflow)).status).isEqualTo("COMPLETED");
  }

  @Test
  void enablingListsVehiclesInsteadOfWithdrawingThem(MarketplaceToggleWorkflow workflow) {
    workflow.toggle(new MarketplaceToggleRequest(JOB_ID, TENANT_ID, true));

    InOrder inOrder = inOrder(activities);
    inOrder
        .verify(activities)
        .switchCompanies(
            new ToggleStep(JOB_ID, TENANT_ID, true, new BatchProgress("switch companies", 0, 257)));
    inOrder
        .verify(activities)
        .updateListings(
            new ToggleStep(JOB_ID, TENANT_ID, true, new BatchProgress("list vehicles", 7, 257)));
  }

  @ParameterizedTest(name = "failure at {0}")
  @EnumSource(Step.class)
  void aFailureAtAStepUndoesThatStepAndEveryEarlierOneNewestFirst(
      Step failing, MarketplaceToggleWorkflow workflow) {
    failing.call.accept(doThrow(conflict("marketplace refused the batch")).when(activities));

    assertThatThrownBy(() -> workflow.toggle(DISABLE))
        .isInstanceOf(WorkflowFailedException.class)
        .satisfies(
            thrown ->
                assertThat(failureOfType(thrown, FailureType.ROLLED_BACK).getOriginalMessage())
                    .isEqualTo(
                        "Marketplace disable of tenant 7 failed at step '"
                            + failing.stepName
                            + "' (marketplace refused the batch) and was rolled back."));

    InOrder inOrder = inOrder(activities);
    inOrder.verify(activities).countToggleScope(new ToggleStep(JOB_ID, TENANT_ID, false, null));
    for (Step step : Step.values()) {
      if (step.ordinal() <= failing.ordinal()) {
        step.call.accept(inOrder.verify(activities));
      }
    }
    inOrder.verify(activities).fence(new JobStep(JOB_ID));
    for (int i = failing.ordinal(); i >= 0; i--) {
      Step.values()[i].compensation.accept(inOrder.verify(activities));
    }
    verifyNoMoreInteractions(activities);
    InMemoryJobLedger.Row row = ledger.row(workflowId(workflow));
    assertThat(row.status).isEqualTo("FAILED");
    assertThat(row.errorType).isEqualTo(FailureType.ROLLED_BACK.name());
  }

  @Test
  void aListingsRestoreThatKeepsFailingIsNamedAndTheFlagsAreStillRestored(
      MarketplaceToggleWorkflow workflow) {
    Step.LISTINGS.call.accept(doThrow(conflict("marketplace refused")).when(activities));
    doThrow(ApplicationFailure.newNonRetryableFailure("marketplace down", "PROVIDER_REJECTED"))
        .when(activities)
        .restoreListings(new JobStep(JOB_ID));

    assertThatThrownBy(() -> workflow.toggle(DISABLE))
        .isInstanceOf(WorkflowFailedException.class)
        .satisfies(
            thrown ->
                assertThat(
                        failureOfType(thrown, FailureType.ROLLBACK_INCOMPLETE).getOriginalMessage())
                    .endsWith(
                        "the rollback is incomplete: could not restore marketplace listings."
                            + " Everything else was restored."));

    InOrder inOrder = inOrder(activities);
    inOrder.verify(activities).restoreListings(new JobStep(JOB_ID));
    inOrder.verify(activities).restoreModels(new JobStep(JOB_ID));
    inOrder.verify(activities).restoreCompanies(new JobStep(JOB_ID));
  }

  @Test
  void cancellingDuringTheListingsStepRollsEverythingBack(MarketplaceToggleWorkflow workflow)
      throws InterruptedException {
    CountDownLatch withdrawing = new CountDownLatch(1);
    when(activities.updateListings(any()))
        .thenAnswer(
            invocation -> {
              withdrawing.countDown();
              while (true) {
                Activity.getExecutionContext().heartbeat(null);
                Thread.sleep(50);
              }
            });

    WorkflowClient.start(workflow::toggle, DISABLE);
    assertThat(withdrawing.await(10, TimeUnit.SECONDS)).isTrue();
    WorkflowStub stub = WorkflowStub.fromTyped(workflow);
    stub.cancel();

    assertThatThrownBy(() -> stub.getResult(MarketplaceToggleResult.class))
        .isInstanceOf(WorkflowFailedException.class)
        .hasCauseInstanceOf(CanceledFailure.class);
    InOrder inOrder = inOrder(activities);
    inOrder.verify(activities).restoreListings(new JobStep(JOB_ID));
    inOrder.verify(activities).restoreModels(new JobStep(JOB_ID));
    inOrder.verify(activities).restoreCompanies(new JobStep(JOB_ID));
    assertThat(ledger.row(workflowId(workflow)).errorMessage)
        .isEqualTo(
            "Marketplace disable of tenant 7 was cancelled during step 'withdraw listings'"
                + " and was rolled back.");
  }

  private static String workflowId(MarketplaceToggleWorkflow workflow) {
    return WorkflowStub.fromTyped(workflow).getExecution().getWorkflowId();
  }
}
