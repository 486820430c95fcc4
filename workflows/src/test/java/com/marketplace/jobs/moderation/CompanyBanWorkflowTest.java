package com.marketplace.jobs.moderation;

import static com.marketplace.jobs.moderation.ModerationFailures.conflict;
import static com.marketplace.jobs.moderation.ModerationFailures.failureOfType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoMoreInteractions;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import com.marketplace.jobs.common.FailureType;
import com.marketplace.jobs.ledger.InMemoryJobLedger;
import com.marketplace.jobs.ledger.JobLedgerWorkerInterceptor;
import com.marketplace.jobs.notifications.CompanyNoticeRequest;
import com.marketplace.jobs.notifications.EmailTemplate;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mockito.InOrder;

class CompanyBanWorkflowTest {

  private static final String JOB_ID = "ban-job-1";
  private static final long COMPANY_ID = 42L;
  private static final String REASON = "fraudulent listings";
  private static final BanRequest REQUEST = new BanRequest(JOB_ID, COMPANY_ID, REASON);

  /** What countBanScope reports: 1 company + 5 vehicles + 7 orders = 13 rows. */
  private static final ModerationScope SCOPE = new ModerationScope(5, 7);

  /** What the bulk steps report they changed; fewer orders than counted (one closed meanwhile). */
  private static final long VEHICLES_CHANGED = 5;

  private static final long ORDERS_CHANGED = 6;

  /** The email about the ban, accepted as its own job once the ban committed. */
  private static final CompanyNoticeRequest NOTICE =
      CompanyNoticeRequest.of(JOB_ID, COMPANY_ID, EmailTemplate.COMPANY_BANNED, REASON);

  private static final InMemoryJobLedger ledger = new InMemoryJobLedger();

  @RegisterExtension
  static final TestWorkflowExtension testWorkflow =
      TestWorkflowExtension.newBuilder()
          .setWorkerFactoryOptions(
              WorkerFactoryOptions.newBuilder()
                  .setWorkerInterceptors(new JobLedgerWorkerInterceptor(ledger))
                  .build())
          .registerWorkflowImplementationTypes(CompanyBanWorkflowImpl.class)
          // As the worker sets it: heartbeats (and so cancellations) within seconds.
          .setWorkerOptions(
              WorkerOptions.newBuilder()
                  .setMaxHeartbeatThrottleInterval(Duration.ofSeconds(1))
                  .build())
          .setDoNotStart(true)
          .build();

  private final ModerationActivities activities =
      mock(ModerationActivities.class, withSettings().withoutAnnotations());

  /**
   * The ban's forward steps after the scope count, in order, each with the call the workflow makes
   * (exact arguments, given {@code SCOPE} and {@code VEHICLES_CHANGED}) and its compensation, if
   * any.
   */
  enum Step {
    COMPANY_STATUS(
        "ban company",
        a ->
            a.changeCompanyStatus(
                new CompanyStatusChange(
                    JOB_ID, COMPANY_ID, CompanyStatus.ACTIVE, CompanyStatus.BANNED)),
        a -> a.restoreCompany(new JobStep(JOB_ID))),
    VEHICLES(
        "unpublish vehicles",
        a ->
            a.unpublishVehicles(
                new CompanyBatchStep(
                    JOB_ID, COMPANY_ID, new BatchProgress("unpublish vehicles", 1, 13))),
        a -> a.restoreVehicles(new JobStep(JOB_ID))),
    ORDERS(
        "deactivate orders",
        a ->
            a.deactivateOrders(
                new CompanyBatchStep(
                    JOB_ID, COMPANY_ID, new BatchProgress("deactivate orders", 6, 13))),
        a -> a.restoreOrders(new JobStep(JOB_ID))),
    SEARCH(
        "remove from search index",
        a -> a.removeFromSearch(new JobStep(JOB_ID)),
        a -> a.restoreSearch(new JobStep(JOB_ID))),
    MARKETPLACE(
        "withdraw marketplace listings",
        a -> a.withdrawListings(new CompanyStep(JOB_ID, COMPANY_ID)),
        a -> a.restoreListings(new CompanyStep(JOB_ID, COMPANY_ID)));

    final String stepName;
    final Consumer<ModerationActivities> call;
    final Consumer<ModerationActivities> compensation;

    Step(
        String stepName,
        Consumer<ModerationActivities> call,
        Consumer<ModerationActivities> compensation) {
      this.stepName = stepName;
      this.call = call;
      this.compensation = compensation;
    }
  }

  @BeforeEach
  void registerActivities(TestWorkflowEnvironment env, Worker worker) {
    when(activities.countBanScope(any())).thenReturn(SCOPE);
    when(activities.unpublishVehicles(any())).thenReturn(VEHICLES_CHANGED);
    when(activities.deactivateOrders(any())).thenReturn(ORDERS_CHANGED);
    worker.registerActivitiesImplementations(activities, ledger);
    env.start();
  }

  @Test
  void aSuccessfulBanRunsEveryStepOnceInOrderAndUndoesNothing(CompanyBanWorkflow workflow) {
    ModerationResult result = workflow.ban(REQUEST);

    assertThat(result)
        .isEqualTo(new ModerationResult(JOB_ID, COMPANY_ID, VEHICLES_CHANGED, ORDERS_CHANGED));
    InOrder inOrder = inOrder(activities);
    inOrder.verify(activities).countBanScope(new CompanyStep(JOB_ID, COMPANY_ID));
    for (Step step : Step.values()) {
      step.call.accept(inOrder.verify(activities));
    }
    inOrder.verify(activities).restoredChanges(new JobStep(JOB_ID));
    inOrder.verify(activities).requestCompanyNotice(NOTICE);
    verifyNoMoreInteractions(activities);
    assertThat(workflow.progress()).isEqualTo(new ModerationProgress("done", 12, 12));
    assertThat(ledger.row(workflowId(workflow)).status).isEqualTo("COMPLETED");
  }

  @ParameterizedTest(name = "failure at {0}")
  @EnumSource(Step.class)
  void aFailureAtAStepUndoesThatStepAndEveryEarlierOneNewestFirstAndRunsNoLaterStep(
      Step failing, CompanyBanWorkflow workflow) {
    failing.call.accept(doThrow(conflict("company 42 changed meanwhile")).when(activities));

    assertThatThrownBy(() -> workflow.ban(REQUEST))
        .isInstanceOf(WorkflowFailedException.class)
        .satisfies(
            thrown -> {
              ApplicationFailure failure = failureOfType(thrown, FailureType.ROLLED_BACK);
              assertThat(failure.getOriginalMessage())
                  .isEqualTo(
                      "Ban of company 42 failed at step '"
                          + failing.stepName
                          + "' (company 42 changed meanwhile) and was rolled back.");
            });

    InOrder inOrder = inOrder(activities);
    inOrder.verify(activities).countBanScope(new CompanyStep(JOB_ID, COMPANY_ID));
    for (Step step : Step.values()) {
      if (step.ordinal() <= failing.ordinal()) {
        step.call.accept(inOrder.verify(activities));
      }
    }
    inOrder.verify(activities).fence(new JobStep(JOB_ID));
    for (int i = failing.ordinal(); i >= 0; i--) {
      Consumer<ModerationActivities> compensation = Step.values()[i].compensation;
      if (compensation != null) {
        compensation.accept(inOrder.verify(activities));
      }
    }
    // Nothing else: no later forward step, no compensation of a step that never started, no retry.
    verifyNoMoreInteractions(activities);
    assertThat(workflow.progress()).extracting(ModerationProgress::step).isEqualTo("rolled back");
    InMemoryJobLedger.Row row = ledger.row(workflowId(workflow));
    assertThat(row.status).isEqualTo("FAILED");
    assertThat(row.errorType).isEqualTo(FailureType.ROLLED_BACK.name());
  }

  @Test
  void aRunThatFindsChangesRestoredByAnEarlierRollbackAppliesEveryStepOnceMore(
      CompanyBanWorkflow workflow) {
    // What a run after `temporal workflow reset` of a rolled-back ban finds.
    when(activities.restoredChanges(new JobStep(JOB_ID))).thenReturn(7L);

    ModerationResult result = workflow.ban(REQUEST);

    assertThat(result)
        .isEqualTo(new ModerationResult(JOB_ID, COMPANY_ID, VEHICLES_CHANGED, ORDERS_CHANGED));
    InOrder inOrder = inOrder(activities);
    for (int pass = 1; pass <= 2; pass++) {
      inOrder.verify(activities).countBanScope(new CompanyStep(JOB_ID, COMPANY_ID));
      for (Step step : Step.values()) {
        step.call.accept(inOrder.verify(activities));
      }
    }
    inOrder.verify(activities).requestCompanyNotice(NOTICE);
    verify(activities, times(1)).restoredChanges(new JobStep(JOB_ID));
    verify(activities, never()).fence(any());
    assertThat(ledger.row(workflowId(workflow)).status).isEqualTo("COMPLETED");
  }

  @Test
  void aStepFailingInTheSecondPassIsUndoneOnceEachAfterTheFence(CompanyBanWorkflow workflow) {
    when(activities.restoredChanges(new JobStep(JOB_ID))).thenReturn(7L);
    when(activities.withdrawListings(new CompanyStep(JOB_ID, COMPANY_ID)))
        .thenReturn(5L)
        .thenThrow(conflict("marketplace refused"));

    assertThatThrownBy(() -> workflow.ban(REQUEST))
        .isInstanceOf(WorkflowFailedException.class)
        .satisfies(thrown -> failureOfType(thrown, FailureType.ROLLED_BACK));

    InOrder inOrder = inOrder(activities);
    inOrder.verify(activities).fence(new JobStep(JOB_ID));
    for (int i = Step.values().length - 1; i >= 0; i--) {
      Step.values()[i].compensation.accept(inOrder.verify(activities));
    }
    verify(activities, times(1)).restoreVehicles(new JobStep(JOB_ID));
    verify(activities, never()).requestCompanyNotice(any());
  }

  @Test
  void aFenceThatCannotBeSetStillUndoesEverythingAndSaysSo(CompanyBanWorkflow workflow) {
    Step.ORDERS.call.accept(doThrow(conflict("order state changed")).when(activities));
    doThrow(ApplicationFailure.newNonRetryableFailure("database down", "DB_LOCKED"))
        .when(activities)
        .fence(new JobStep(JOB_ID));

    assertThatThrownBy(() -> workflow.ban(REQUEST))
        .isInstanceOf(WorkflowFailedException.class)
        .satisfies(
            thrown ->
                assertThat(
                        failureOfType(thrown, FailureType.ROLLBACK_INCOMPLETE).getOriginalMessage())
                    .contains("could not restore the fence against late writes."));

    verify(activities).restoreOrders(new JobStep(JOB_ID));
    verify(activities).restoreVehicles(new JobStep(JOB_ID));
    verify(activities).restoreCompany(new JobStep(JOB_ID));
  }

  @Test
  void aNoticeThatCannotBeAcceptedLeavesTheBanCompletedAndUndoesNothing(
      CompanyBanWorkflow workflow) {
    doThrow(ApplicationFailure.newNonRetryableFailure("ledger refused", "DB_LOCKED"))
        .when(activities)
        .requestCompanyNotice(NOTICE);

    ModerationResult result = workflow.ban(REQUEST);

    assertThat(result)
        .isEqualTo(new ModerationResult(JOB_ID, COMPANY_ID, VEHICLES_CHANGED, ORDERS_CHANGED));
    verify(activities).requestCompanyNotice(NOTICE);
    verify(activities, never()).restoreCompany(any());
    verify(activities, never()).restoreVehicles(any());
    verify(activities, never()).restoreOrders(any());
    InMemoryJobLedger.Row row = ledger.row(workflowId(workflow));
    assertThat(row.status).isEqualTo("COMPLETED");
    assertThat(row.errorType).isEqualTo("DB_LOCKED");
  }

  @Test
  void aStepThatKeepsFailingRetryablyIsTriedFourTimesThenRolledBack(CompanyBanWorkflow workflow) {
    when(activities.deactivateOrders(any()))
        .thenThrow(ApplicationFailure.newFailure("database unreachable", "DB_UNAVAILABLE"));

    assertThatThrownBy(() -> workflow.ban(REQUEST))
        .isInstanceOf(WorkflowFailedException.class)
        .satisfies(
            thrown ->
                assertThat(failureOfType(thrown, FailureType.ROLLED_BACK).getOriginalMessage())
                    .contains("'deactivate orders'", "database unreachable", "rolled back"));

    verify(activities, times(4)).deactivateOrders(any());
    InOrder inOrder = inOrder(activities);
    inOrder.verify(activities).restoreOrders(new JobStep(JOB_ID));
    inOrder.verify(activities).restoreVehicles(new JobStep(JOB_ID));
    inOrder.verify(activities).restoreCompany(new JobStep(JOB_ID));
    verify(activities, never()).requestCompanyNotice(any());
  }

  @Test
  void aCompensationThatFailsOnceIsRetriedAndTheBanIsStillFullyRolledBack(
      CompanyBanWorkflow workflow) {
    Step.ORDERS.call.accept(doThrow(conflict("order state changed")).when(activities));
    doThrow(ApplicationFailure.newFailure("database unreachable", "DB_UNAVAILABLE"))
        .doNothing()
        .when(activities)
        .restoreVehicles(new JobStep(JOB_ID));

    assertThatThrownBy(() -> workflow.ban(REQUEST))
        .isInstanceOf(WorkflowFailedException.class)
        .satisfies(thrown -> failureOfType(thrown, FailureType.ROLLED_BACK));

    verify(activities, times(2)).restoreVehicles(new JobStep(JOB_ID));
    verify(activities).restoreOrders(new JobStep(JOB_ID));
    verify(activities).restoreCompany(new JobStep(JOB_ID));
  }

  @Test
  void aCompensationThatKeepsFailingEndsRollbackIncompleteNamingItAndTheOthersStillRun(
      CompanyBanWorkflow workflow) {
    Step.MARKETPLACE.call.accept(doThrow(conflict("marketplace refused")).when(activities));
    doThrow(ApplicationFailure.newNonRetryableFailure("vehicles locked", "DB_LOCKED"))
        .when(activities)
        .restoreVehicles(new JobStep(JOB_ID));

    assertThatThrownBy(() -> workflow.ban(REQUEST))
        .isInstanceOf(WorkflowFailedException.class)
        .satisfies(
            thrown -> {
              ApplicationFailure failure = failureOfType(thrown, FailureType.ROLLBACK_INCOMPLETE);
              assertThat(failure.getOriginalMessage())
                  .isEqualTo(
                      "Ban of company 42 failed at step 'withdraw marketplace listings'"
                          + " (marketplace refused);"
                          + " the rollback is incomplete: could not restore vehicles."
                          + " Everything else was restored.");
            });

    InOrder inOrder = inOrder(activities);
    inOrder.verify(activities).restoreOrders(new JobStep(JOB_ID));
    inOrder.verify(activities).restoreVehicles(new JobStep(JOB_ID));
    inOrder.verify(activities).restoreCompany(new JobStep(JOB_ID));
    assertThat(workflow.progress())
        .extracting(ModerationProgress::step)
        .isEqualTo("rollback incomplete");
    InMemoryJobLedger.Row row = ledger.row(workflowId(workflow));
    assertThat(row.errorType).isEqualTo(FailureType.ROLLBACK_INCOMPLETE.name());
  }

  @Test
  void twoCompensationsThatKeepFailingAreBothNamedNewestFirst(CompanyBanWorkflow workflow) {
    Step.MARKETPLACE.call.accept(doThrow(conflict("marketplace refused")).when(activities));
    doThrow(ApplicationFailure.newNonRetryableFailure("orders locked", "DB_LOCKED"))
        .when(activities)
        .restoreOrders(new JobStep(JOB_ID));
    doThrow(ApplicationFailure.newNonRetryableFailure("company locked", "DB_LOCKED"))
        .when(activities)
        .restoreCompany(new JobStep(JOB_ID));

    assertThatThrownBy(() -> workflow.ban(REQUEST))
        .isInstanceOf(WorkflowFailedException.class)
        .satisfies(
            thrown ->
                assertThat(
                        failureOfType(thrown, FailureType.ROLLBACK_INCOMPLETE).getOriginalMessage())
                    .contains("could not restore orders, company status."));

    verify(activities).restoreVehicles(new JobStep(JOB_ID));
  }

  @Test
  void aFailureCountingTheScopeFailsTheBanBeforeAnythingChanges(CompanyBanWorkflow workflow) {
    when(activities.countBanScope(any())).thenThrow(conflict("company 42 is already banned"));

    assertThatThrownBy(() -> workflow.ban(REQUEST)).isInstanceOf(WorkflowFailedException.class);

    verify(activities).countBanScope(new CompanyStep(JOB_ID, COMPANY_ID));
    verify(activities).fence(new JobStep(JOB_ID));
    verifyNoMoreInteractions(activities);
  }

  @Test
  void cancellingDuringUnpublishingUndoesVehiclesThenCompanyAndRecordsACancelledRollback(
      CompanyBanWorkflow workflow) throws InterruptedException {
    CountDownLatch unpublishing = new CountDownLatch(1);
    AtomicBoolean stepRunning = new AtomicBoolean();
    AtomicBoolean restoredWhileStepRan = new AtomicBoolean();
    when(activities.unpublishVehicles(any()))
        .thenAnswer(
            invocation -> {
              stepRunning.set(true);
              unpublishing.countDown();
              try {
                // Heartbeats like the real batch loop: that is how a step learns it is cancelled.
                while (true) {
                  Activity.getExecutionContext().heartbeat(null);
                  Thread.sleep(50);
                }
              } finally {
                stepRunning.set(false);
              }
            });
    doAnswer(
            invocation -> {
              restoredWhileStepRan.compareAndSet(false, stepRunning.get());
              return null;
            })
        .when(activities)
        .restoreVehicles(any());

    WorkflowClient.start(workflow::ban, REQUEST);
    assertThat(unpublishing.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(workflow.progress()).isEqualTo(new ModerationProgress("unpublish vehicles", 1, 13));

    WorkflowStub stub = WorkflowStub.fromTyped(workflow);
    stub.cancel();

    // A workflow whose cancellation was requested closes as cancelled, whatever it throws; the
    // ROLLED_BACK failure it throws is what the ledger records.
    assertThatThrownBy(() -> stub.getResult(ModerationResult.class))
        .isInstanceOf(WorkflowFailedException.class)
        .hasCauseInstanceOf(CanceledFailure.class);

    // The rollback waited for the cancelled step to stop before undoing it.
    assertThat(restoredWhileStepRan).isFalse();
    InOrder inOrder = inOrder(activities);
    inOrder.verify(activities).countBanScope(new CompanyStep(JOB_ID, COMPANY_ID));
    Step.COMPANY_STATUS.call.accept(inOrder.verify(activities));
    Step.VEHICLES.call.accept(inOrder.verify(activities));
    inOrder.verify(activities).fence(new JobStep(JOB_ID));
    inOrder.verify(activities).restoreVehicles(new JobStep(JOB_ID));
    inOrder.verify(activities).restoreCompany(new JobStep(JOB_ID));
    verifyNoMoreInteractions(activities);
    assertThat(workflow.progress()).extracting(ModerationProgress::step).isEqualTo("rolled back");
    InMemoryJobLedger.Row row = ledger.row(workflowId(workflow));
    assertThat(row.status).isEqualTo("FAILED");
    assertThat(row.errorType).isEqualTo(FailureType.ROLLED_BACK.name());
    assertThat(row.errorMessage)
        .isEqualTo(
            "Ban of company 42 was cancelled during step 'unpublish vehicles' and was rolled back.");
  }

  private static String workflowId(CompanyBanWorkflow workflow) {
    return WorkflowStub.fromTyped(workflow).getExecution().getWorkflowId();
  }
}
