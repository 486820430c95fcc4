package com.marketplace.jobs.fleet;

/**
 * What one {@code sendVehicleReminders} call did.
 *
 * @param sent reminders handed to Mailgun by this call
 * @param late of those, sent after their reminder day
 * @param refused reminders Mailgun refused for good
 */
public record ReminderBatch(int sent, int late, int refused) {}
