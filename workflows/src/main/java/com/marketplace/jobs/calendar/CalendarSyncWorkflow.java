package com.marketplace.jobs.calendar;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** One calendar sync run; started by the {@code calendar-sync} schedule. */
@WorkflowInterface
public interface CalendarSyncWorkflow {

  /**
   * Syncs every enabled integration once, then checks conflicts. Safe to run any number of times:
   * each sync writes what Google says now (keyed by integration and event id), and a conflict is
   * recorded once per block and order while it stays open.
   */
  @WorkflowMethod
  CalendarSyncRun run();
}
