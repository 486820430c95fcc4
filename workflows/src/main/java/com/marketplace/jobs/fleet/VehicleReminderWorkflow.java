package com.marketplace.jobs.fleet;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** The daily vehicle reminders run; started by the {@code vehicle-reminders} schedule. */
@WorkflowInterface
public interface VehicleReminderWorkflow {

  /**
   * Claims the reminders owed today and sends them. Safe to run any number of times a day: each due
   * date is reminded once (its touchpoint is claimed once, and a claimed one that is already sent
   * is never sent again).
   */
  @WorkflowMethod
  VehicleReminderRun run();
}
