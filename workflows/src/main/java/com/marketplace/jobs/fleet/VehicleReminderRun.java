package com.marketplace.jobs.fleet;

/**
 * What one run did.
 *
 * @param claimed reminders that became owed in this run (new touchpoints)
 * @param sent reminders handed to Mailgun in this run (new ones and any an earlier run left unsent)
 * @param late of those sent, the ones sent after their reminder day
 * @param refused reminders Mailgun refused for good (a bad company address): not retried
 */
public record VehicleReminderRun(int claimed, int sent, int late, int refused) {}
