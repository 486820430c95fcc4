package com.marketplace.jobs.fleet;

import com.marketplace.jobs.notifications.CompanyNoticeWorkflowImpl;
import io.temporal.activity.ActivityOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.List;

public class VehicleReminderWorkflowImpl implements VehicleReminderWorkflow {

  /** Reminders per {@code sendVehicleReminders} call: one email each, so a call stays short. */
  static final int BATCH_SIZE = 50;

  /** Batches per run before it continues as new, keeping the history small (25,000 reminders). */
  static final int BATCHES_PER_RUN = 500;

  /**
   * A batch sends at most 50 emails (each up to 30 s in the worst case of a slow Mailgun); retried
   * like every company email, riding out an hour of Mailgun outage. The run is daily, so a reminder
   * that still fails is picked up by the next run.
   */
  static final ActivityOptions OPTIONS =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(10))
          .setHeartbeatTimeout(Duration.ofMinutes(1))
          .setRetryOptions(CompanyNoticeWorkflowImpl.RIDE_OUT_AN_HOUR_OF_MAILGUN)
          .build();

  private final VehicleReminderActivities activities =
      Workflow.newActivityStub(VehicleReminderActivities.class, OPTIONS);

  @Override
  public VehicleReminderRun run() {
    int claimed = activities.claimVehicleReminders();
    int sent = 0;
    int late = 0;
    int refused = 0;
    long cursor = 0;
    for (int batches = 0; ; batches++) {
      if (batches == BATCHES_PER_RUN) {
        // The next run claims nothing new and goes on with what is still unsent.
        Workflow.continueAsNew();
      }
      List<Long> batch = activities.unsentVehicleReminders(cursor, BATCH_SIZE);
      if (batch.isEmpty()) {
        break;
      }
      ReminderBatch result = activities.sendVehicleReminders(batch);
      sent += result.sent();
      late += result.late();
      refused += result.refused();
      cursor = batch.get(batch.size() - 1);
    }
    return new VehicleReminderRun(claimed, sent, late, refused);
  }
}
