package com.marketplace.jobs.birthdays;

import io.temporal.activity.ActivityInterface;

/** What a birthday run does outside the workflow: PostgreSQL and Mailgun. */
@ActivityInterface
public interface BirthdayActivities {

  /**
   * Writes a touchpoint row for every customer whose birthday reminder is due now (birthday in
   * their own time zone, local time past the window's start) and has none this year. Idempotency
   * key: the touchpoint's {@code (kind, subject_key)} = {@code (birthday_reminder,
   * customer:<id>:<year>)}; a second call adds nothing. Nothing undoes it: the row is the promise
   * of the email.
   *
   * @return the reminders owed now: unsent touchpoints whose local day is still today
   */
  int claimDueReminders();

  /**
   * Sends unsent reminders in batches of up to the configured size (1,000), one Mailgun call each,
   * at most {@code maxBatches} batches, heartbeating the progress after each. Idempotency key: the
   * batch id, written on the touchpoints before the call and attached to the message; a batch
   * answered 200 is never sent again, and one whose answer was lost is looked for in Mailgun's
   * events first. An email cannot be undone.
   */
  BatchProgress sendDueBatches(int maxBatches);
}
