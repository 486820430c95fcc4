/**
 * Fleet automation run on schedules. Vehicle reminders: the {@code vehicle-reminders} schedule
 * starts {@link com.marketplace.jobs.fleet.VehicleReminderWorkflow} daily; it claims a touchpoint
 * for every vehicle due date (inspection, insurance, maintenance) whose reminder day has come (the
 * lead time before it, or within the catch-up days after a missed run), then emails each owning
 * company once per due date, in batches.
 */
package com.marketplace.jobs.fleet;
