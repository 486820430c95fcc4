/**
 * Birthday reminders: every customer whose birthday it is in their own time zone gets one email a
 * year, before the send window's end (9:00 local by default), through Mailgun's batch sending.
 *
 * <p>A Temporal Schedule starts {@link com.marketplace.jobs.birthdays.BirthdayReminderWorkflow}
 * every 15 minutes, without arguments. Each run:
 *
 * <ol>
 *   <li>{@code claimDueReminders}: one {@code touchpoints} row per customer whose birthday it is
 *       where they live and whose local time has reached the window's start (subject key {@code
 *       customer:<id>:<year>}, unique, so once a year); the rule is {@link
 *       com.marketplace.jobs.birthdays.BirthdayRules}. A run that was missed (worker or server
 *       down) is caught up by the next one: it claims everyone whose reminder is still owed today.
 *   <li>{@code sendDueBatches}, repeated: unsent touchpoints in batches of up to 1,000 recipients,
 *       one Mailgun call each, heartbeating its progress. A batch answered 200 is never sent again;
 *       a batch whose answer was lost is looked up in Mailgun's events before it is sent again.
 *       Sent after the window's end counts as late.
 *   <li>Continue-as-new when the history grows, the totals carried in the memo (the workflow takes
 *       no arguments: a schedule starts it).
 * </ol>
 */
package com.marketplace.jobs.birthdays;
