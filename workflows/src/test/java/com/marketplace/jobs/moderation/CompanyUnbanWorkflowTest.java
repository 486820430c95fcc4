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

class CompanyUnbanWorkflowTest {

  private static final String JOB_ID = "unban-job-2";
  private static final long COMPANY_ID = 42L;
  private static final String BAN_JOB_ID = "ban-job-1";
  private static final UnbanRequest REQUEST = new UnbanRequest(JOB_ID, COMPANY_ID, BAN_JOB_ID);

  /** What countUnbanScope reports: 1 company + 5 vehicles + 7 orders = 13 rows. */
  private static final ModerationScope SCOPE = new ModerationScope(5, 7);

  /**
   * What the bulk steps report they changed: fewer than counted (a vehicle and an order changed
   * since the ban and are left alone).
   */
  private static final long VEHICLES_CHANGED = 4;

  private static final long ORDERS_CHANGED = 6;

  /** The email about the unban, accepted as its own job once the unban committed. */
  private static final CompanyNoticeRequest NOTICE =
      CompanyNoticeRequest.of(JOB_ID, COMPANY_ID, EmailTemplate.COMPANY_UNBANNED, null);

  private static final InMemoryJobLedger ledger = new InMemoryJobLedger();

  @RegisterExtension
  static final TestWorkflowExtension testWorkflow =
      TestWorkflowExtension.newBuilder()
          .setWorkerFactoryOptions(
              WorkerFactoryOptions.newBuilder()
                  .setWorkerInterceptors(new JobLedgerWorkerInterceptor(ledger))
                  .build())
          .registerWorkflowImplementationTypes(CompanyUnbanWorkflowImpl.class)
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
   * The unban's forward steps after the scope count, in order, each with the call the workflow
   * makes (exact arguments, given {@code SCOPE} and {@code VEHICLES_CHANGED}) and its compensation.
   */
  enum Step {
    COMPANY_STATUS(
        "reactivate company",
        a ->
            a.changeCompanyStatus(
                new CompanyStatusChange(
                    JOB_ID, COMPANY_ID, CompanyStatus.BANNED, CompanyStatus.ACTIVE)),
        a -> a.restoreCompany(new JobStep(JOB_ID))),
    VEHICLES(
        "republish vehicles",
        a ->
            a.republishVehicles(
                new BanReversalStep(
                    JOB_ID, BAN_JOB_ID, new BatchProgress("republish vehicles", 1, 13))),
        a -> a.restoreVehicles(new JobStep(JOB_ID))),
    ORDERS(
        "reactivate orders",
        a ->
            a.reactivateOrders(
                new BanReversalStep(
                    JOB_ID, BAN_JOB_ID, new BatchProgress("reactivate orders", 5, 13))),
        a -> a.restoreOrders(new JobStep(JOB_ID))),
    SEARCH(
        "add to search index",
        a -> a.addToSearch(new JobStep(JOB_ID)),
        a -> a.restoreSearch(new JobStep(JOB_ID))),
    MARKETPLACE(
        "list on the marketplace",
        a -> a.listVehicles(new CompanyStep(JOB_ID, COMPANY_ID)),
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
    when(activities.countUnbanScope(any())).thenReturn(SCOPE);
    when(activities.republishVehicles(any())).thenReturn(VEHICLES_CHANGED);
    when(activities.reactivateOrders(any())).thenReturn(ORDERS_CHANGED);
    worker.registerActivitiesImplementations(activities, ledger);
    env.start();
  }

  @Test
  void aSuccessfulUnbanRunsEveryStepOnceInOrderAndUndoesNothing(CompanyUnbanWorkflow workflow) {
    ModerationResult result = workflow.unban(REQUEST);

    assertThat(result)
        .isEqualTo(new ModerationResult(JOB_ID, COMPANY_ID, VEHICLES_CHANGED, ORDERS_CHANGED));
    InOrder inOrder = inOrder(activities);
    inOrder.verify(activities).countUnbanScope(new BanReversalStep(JOB_ID, BAN_JOB_ID, null));
    for (Step step : Step.values()) {
      step.call.accept(inOrder.verify(activities));
    }
    inOrder.verify(activities).restoredChanges(new JobStep(JOB_ID));
    inOrder.verify(activities).requestCompanyNotice(NOTICE);
    verifyNoMoreInteractions(activities);
    assertThat(workflow.progress()).isEqualTo(new ModerationProgress("done", 11, 11));
    assertThat(ledger.row(workflowId(workflow)).status).isEqualTo("COMPLETED");
  }

  @Test
  void anUnbanWithoutABanJobOnlyReactivatesTheCompanyAndAsksForTheNotice(
      CompanyUnbanWorkflow workflow) {
    ModerationResult result = workflow.unban(new UnbanRequest(JOB_ID, COMPANY_ID, null));

    assertThat(result).isEqualTo(new ModerationResult(JOB_ID, COMPANY_ID, 0, 0));
    InOrder inOrder = inOrder(activities);
    Step.COMPANY_STATUS.call.accept(inOrder.verify(activities));
    inOrder.verify(activities).restoredChanges(new JobStep(JOB_ID));
    inOrder.verify(activities).requestCompanyNotice(NOTICE);
    // No scope count, no vehicle or order step, no compensation.
    verifyNoMoreInteractions(activities);
    assertThat(workflow.progress()).isEqualTo(new ModerationProgress("done", 1, 1));
  }

  @Test
  void anUnbanWhoseNoticeCannotBeAcceptedStillCompletesAndUndoesNothing(
      CompanyUnbanWorkflow workflow) {
    doThrow(conflict("ledger refused")).when(activities).requestCompanyNotice(NOTICE);

    ModerationResult result = workflow.unban(REQUEST);

    assertThat(result)
        .isEqualTo(new ModerationResult(JOB_ID, COMPANY_ID, VEHICLES_CHANGED, ORDERS_CHANGED));
    verify(activities, never()).restoreCompany(any());
    verify(activities, never()).restoreVehicles(any());
    assertThat(ledger.row(workflowId(workflow)).status).isEqualTo("COMPLETED");
  }

  @ParameterizedTest(name = "failure at {0}")
  @EnumSource(Step.class)
  void aFailureAtAStepUndoesThatStepAndEveryEarlierOneNewestFirstAndRunsNoLaterStep(
      Step failing, CompanyUnbanWorkflow workflow) {
    failing.call.accept(doThrow(conflict("ban records changed meanwhile")).when(activities));

    assertThatThrownBy(() -> workflow.unban(REQUEST))
        .isInstanceOf(WorkflowFailedException.class)
        .satisfies(
            thrown -> {
              ApplicationFailure failure = failureOfType(thrown, FailureType.ROLLED_BACK);
              assertThat(failure.getOriginalMessage())
                  .isEqualTo(
                      "Unban of company 42 failed at step '"
                          + failing.stepName
                          + "' (ban records changed meanwhile) and was rolled back.");
            });

    InOrder inOrder = inOrder(activities);
    inOrder.verify(activities).countUnbanScope(new BanReversalStep(JOB_ID, BAN_JOB_ID, null));
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
  void aCompensationThatKeepsFailingEndsRollbackIncompleteNamingItAndTheOthersStillRun(
      CompanyUnbanWorkflow workflow) {
    Step.ORDERS.call.accept(doThrow(conflict("order state changed")).when(activities));
    doThrow(ApplicationFailure.newNonRetryableFailure("company row locked", "DB_LOCKED"))
        .when(activities)
        .restoreCompany(new JobStep(JOB_ID));

    assertThatThrownBy(() -> workflow.unban(REQUEST))
        .isInstanceOf(WorkflowFailedException.class)
        .satisfies(
            thrown -> {
              ApplicationFailure failure = failureOfType(thrown, FailureType.ROLLBACK_INCOMPLETE);
              assertThat(failure.getOriginalMessage())
                  .isEqualTo(
                      "Unban of company 42 failed at step 'reactivate orders' (order state"
                          + " changed); the rollback is incomplete: could not restore company"
                          + " status. Everything else was restored.");
            });

    InOrder inOrder = inOrder(activities);
    inOrder.verify(activities).restoreOrders(new JobStep(JOB_ID));
    inOrder.verify(activities).restoreVehicles(new JobStep(JOB_ID));
    inOrder.verify(activities).restoreCompany(new JobStep(JOB_ID));
    verify(activities)
        .restoreCompany(new JobStep(JOB_ID)); // tried once: the failure is non-retryable
    assertThat(workflow.progress())
        .extracting(ModerationProgress::step)
        .isEqualTo("rollback incomplete");
    assertThat(ledger.row(workflowId(workflow)).errorType)
        .isEqualTo(FailureType.ROLLBACK_INCOMPLETE.name());
  }

  @Test
  void aFailureCountingTheScopeFailsTheUnbanBeforeAnythingChanges(CompanyUnbanWorkflow workflow) {
    when(activities.countUnbanScope(any())).thenThrow(conflict("ban job-1 is unknown"));

    assertThatThrownBy(() -> workflow.unban(REQUEST)).isInstanceOf(WorkflowFailedException.class);

    verify(activities).countUnbanScope(new BanReversalStep(JOB_ID, BAN_JOB_ID, null));
    verify(activities).fence(new JobStep(JOB_ID));
    verifyNoMoreInteractions(activities);
  }

  @Test
  void cancellingDuringRepublishingUndoesVehiclesThenCompanyAndRecordsACancelledRollback(
      CompanyUnbanWorkflow workflow) throws InterruptedException {
    CountDownLatch republishing = new CountDownLatch(1);
    AtomicBoolean stepRunning = new AtomicBoolean();
    AtomicBoolean restoredWhileStepRan = new AtomicBoolean();
    when(activities.republishVehicles(any()))
        .thenAnswer(
            invocation -> {
              stepRunning.set(true);
              republishing.countDown();
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

    WorkflowClient.start(workflow::unban, REQUEST);
    assertThat(republishing.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(workflow.progress()).isEqualTo(new ModerationProgress("republish vehicles", 1, 13));

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
    inOrder.verify(activities).countUnbanScope(new BanReversalStep(JOB_ID, BAN_JOB_ID, null));
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
            "Unban of company 42 was cancelled during step 'republish vehicles' and was rolled"
                + " back.");
  }

  private static String workflowId(CompanyUnbanWorkflow workflow) {
    return WorkflowStub.fromTyped(workflow).getExecution().getWorkflowId();
  }
}
