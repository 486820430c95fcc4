package com.marketplace.jobs.birthdays;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.ContinueAsNewOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.Map;

public class BirthdayReminderWorkflowImpl implements BirthdayReminderWorkflow {

  /** The memo key under which a continued run finds the totals of the runs before it. */
  static final String CARRIED_MEMO = "birthday-progress";

  /** Batches per activity call: 20,000 recipients at 1,000 a batch, a minute or so. */
  static final int BATCHES_PER_CALL = 20;

  /** Continue-as-new beyond this many history events (each activity call adds about six). */
  static final int HISTORY_LIMIT = 2_000;

  /**
   * Claiming is one set-based pass over the customers prefiltered by birthday: seconds, even for
   * 100,000. Retried for the whole catch-up window, as a database outage should not lose a day.
   */
  static final ActivityOptions CLAIM_OPTIONS =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(5))
          .setScheduleToCloseTimeout(Duration.ofHours(3))
          .setRetryOptions(
              RetryOptions.newBuilder()
                  .setInitialInterval(Duration.ofSeconds(1))
                  .setMaximumInterval(Duration.ofMinutes(1))
                  .build())
          .build();

  /**
   * One call sends up to {@link #BATCHES_PER_CALL} batches and heartbeats after each. The heartbeat
   * timeout is above one batch's worst case (26 s with the default Mailgun deadlines: waiting out
   * the events lag, one events lookup, one send). Retried with backoff for three hours (the
   * schedule's catch-up window), as a Mailgun outage of an hour must still end in sent reminders.
   */
  static final ActivityOptions SEND_OPTIONS =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(15))
          .setHeartbeatTimeout(Duration.ofSeconds(60))
          .setScheduleToCloseTimeout(Duration.ofHours(3))
          .setRetryOptions(
              RetryOptions.newBuilder()
                  .setInitialInterval(Duration.ofSeconds(2))
                  .setBackoffCoefficient(2.0)
                  .setMaximumInterval(Duration.ofMinutes(5))
                  .build())
          .build();

  private final BirthdayActivities activities =
      Workflow.newActivityStub(BirthdayActivities.class, CLAIM_OPTIONS);
  private final BirthdayActivities sending =
      Workflow.newActivityStub(BirthdayActivities.class, SEND_OPTIONS);
  private final int historyLimit;
  private BirthdaySummary totals = BirthdaySummary.none();

  public BirthdayReminderWorkflowImpl() {
    this(HISTORY_LIMIT);
  }

  /** For tests: continue-as-new after fewer history events. */
  BirthdayReminderWorkflowImpl(int historyLimit) {
    this.historyLimit = historyLimit;
  }

  @Override
  public BirthdaySummary run() {
    BirthdaySummary carried =
        Workflow.getMemo(CARRIED_MEMO, BirthdaySummary.class, BirthdaySummary.class);
    if (carried != null) {
      totals = carried;
    } else {
      totals = totals.withDue(activities.claimDueReminders());
    }
    while (true) {
      BatchProgress progress = sending.sendDueBatches(BATCHES_PER_CALL);
      totals = totals.plus(progress);
      if (!progress.more()) {
        return totals;
      }
      if (Workflow.getInfo().isContinueAsNewSuggested()
          || Workflow.getInfo().getHistoryLength() > historyLimit) {
        Workflow.continueAsNew(
            ContinueAsNewOptions.newBuilder().setMemo(Map.of(CARRIED_MEMO, totals)).build());
      }
    }
  }

  @Override
  public BirthdaySummary progress() {
    return totals;
  }
}
