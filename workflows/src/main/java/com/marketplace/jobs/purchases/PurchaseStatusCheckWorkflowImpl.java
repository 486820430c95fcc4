package com.marketplace.jobs.purchases;

import com.marketplace.jobs.notifications.CompanyNoticeWorkflowImpl;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.ContinueAsNewOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.List;
import java.util.Map;

public class PurchaseStatusCheckWorkflowImpl implements PurchaseStatusCheckWorkflow {

  /** The memo key under which a continued run finds where the run before it stopped. */
  static final String CARRIED_MEMO = "purchase-status-progress";

  /** Purchases per {@code purchasesCheckBatch} call: one provider call each. */
  public static final int CHECK_BATCH_SIZE = 50;

  /** Emails per {@code purchasesSendStuckNotices} call. */
  static final int NOTICE_BATCH_SIZE = 50;

  /** Continue-as-new beyond this many history events (each activity call adds about six). */
  static final int HISTORY_LIMIT = 2_000;

  /**
   * A check heartbeats after each purchase, so one provider call (at most four times {@code
   * jobs.purchases.timeout}: pool, connect, TLS handshake, read) must end within it; the worker
   * refuses a timeout that breaks this.
   */
  public static final Duration CHECK_HEARTBEAT_TIMEOUT = Duration.ofMinutes(1);

  /**
   * 50 provider calls, normally well under a second each. A provider outage is retried with backoff
   * for 25 minutes, then the run fails (the ledger and the operations alerts show it) and the next
   * run, 30 minutes on, starts over; a retried attempt goes on from its last heartbeat.
   */
  static final ActivityOptions CHECK_OPTIONS =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(10))
          .setHeartbeatTimeout(CHECK_HEARTBEAT_TIMEOUT)
          .setScheduleToCloseTimeout(Duration.ofMinutes(25))
          .setRetryOptions(
              RetryOptions.newBuilder()
                  .setInitialInterval(Duration.ofSeconds(2))
                  .setBackoffCoefficient(2.0)
                  .setMaximumInterval(Duration.ofMinutes(2))
                  .build())
          .build();

  /** The stuck claim is one statement; the database's hiccups are retried for a few minutes. */
  static final ActivityOptions DATABASE_OPTIONS =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(1))
          .setScheduleToCloseTimeout(Duration.ofMinutes(10))
          .setRetryOptions(
              RetryOptions.newBuilder()
                  .setInitialInterval(Duration.ofSeconds(1))
                  .setMaximumInterval(Duration.ofMinutes(1))
                  .build())
          .build();

  /** Company emails ride out an hour of Mailgun outage, as every company email does. */
  static final ActivityOptions SEND_OPTIONS =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(10))
          .setHeartbeatTimeout(Duration.ofMinutes(1))
          .setRetryOptions(CompanyNoticeWorkflowImpl.RIDE_OUT_AN_HOUR_OF_MAILGUN)
          .build();

  private final PurchaseStatusActivities checks =
      Workflow.newActivityStub(PurchaseStatusActivities.class, CHECK_OPTIONS);
  private final PurchaseStatusActivities database =
      Workflow.newActivityStub(PurchaseStatusActivities.class, DATABASE_OPTIONS);
  private final PurchaseStatusActivities sending =
      Workflow.newActivityStub(PurchaseStatusActivities.class, SEND_OPTIONS);
  private final int historyLimit;
  private PurchaseStatusCheckRun run = PurchaseStatusCheckRun.start();

  public PurchaseStatusCheckWorkflowImpl() {
    this(HISTORY_LIMIT);
  }

  /** For tests: continue-as-new after fewer history events. */
  PurchaseStatusCheckWorkflowImpl(int historyLimit) {
    this.historyLimit = historyLimit;
  }

  @Override
  public PurchaseStatusCheckRun run() {
    PurchaseStatusCheckRun carried =
        Workflow.getMemo(CARRIED_MEMO, PurchaseStatusCheckRun.class, PurchaseStatusCheckRun.class);
    if (carried != null) {
      run = carried;
    }
    if (PurchaseStatusCheckRun.CHECKING.equals(run.phase())) {
      while (true) {
        PurchaseCheckBatch batch = checks.purchasesCheckBatch(run.cursor(), CHECK_BATCH_SIZE);
        run = run.plus(batch);
        if (batch.checked() < CHECK_BATCH_SIZE) {
          break;
        }
        continueAsNewIfLong();
      }
      // After the checks, so a purchase that completed just now is not flagged.
      run = run.notifying(database.purchasesFlagStuck());
    }
    while (true) {
      List<Long> unsent = database.purchasesUnsentStuckNotices(run.cursor(), NOTICE_BATCH_SIZE);
      if (unsent.isEmpty()) {
        break;
      }
      run = run.plus(sending.purchasesSendStuckNotices(unsent), unsent.get(unsent.size() - 1));
      continueAsNewIfLong();
    }
    run = run.done();
    return run;
  }

  private void continueAsNewIfLong() {
    if (Workflow.getInfo().isContinueAsNewSuggested()
        || Workflow.getInfo().getHistoryLength() > historyLimit) {
      Workflow.continueAsNew(
          ContinueAsNewOptions.newBuilder().setMemo(Map.of(CARRIED_MEMO, run)).build());
    }
  }

  @Override
  public PurchaseStatusCheckRun progress() {
    return run;
  }
}
