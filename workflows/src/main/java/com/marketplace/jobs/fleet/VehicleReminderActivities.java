package com.marketplace.jobs.fleet;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.List;

/** The vehicle reminders' steps (see {@link VehicleReminderWorkflow}). */
@ActivityInterface
public interface VehicleReminderActivities {

  /**
   * Writes a touchpoint for every due date whose reminder day is today or within the catch-up days
   * before it, in one statement; a due date that has one already is skipped.
   *
   * @return how many touchpoints were new
   */
  @ActivityMethod
  int claimVehicleReminders();

  /**
   * The ids of claimed reminders still unsent (this run's, and any an earlier run left behind),
   * above {@code afterId}, in id order, at most {@code limit}.
   */
  @ActivityMethod
  List<Long> unsentVehicleReminders(long afterId, int limit);

  /**
   * Emails each reminder's company, skipping those already sent. Idempotency key: the touchpoint id
   * (its email's send is keyed by it, so a retry after a lost answer finds the accepted message
   * rather than sending again). Mailgun's temporary failures fail the call (retried; what was sent
   * stays sent); a permanent refusal marks that one reminder FAILED and goes on.
   */
  @ActivityMethod
  ReminderBatch sendVehicleReminders(List<Long> touchpointIds);
}
