package com.marketplace.jobs.birthdays;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** One birthday run: claims the reminders due now and sends them in Mailgun batches. */
@WorkflowInterface
public interface BirthdayReminderWorkflow {

  /**
   * Sends every birthday reminder due now and not yet sent. Started by a Temporal Schedule (no
   * arguments); safe to run again at any time, as the touchpoint rows make each reminder once a
   * year.
   */
  @WorkflowMethod
  BirthdaySummary run();

  /** The totals so far, across continue-as-new. */
  @QueryMethod
  BirthdaySummary progress();
}
