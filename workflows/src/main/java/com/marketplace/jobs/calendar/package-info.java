/**
 * Calendar synchronisation. The {@code calendar-sync} schedule (every 15 minutes, 30 at most)
 * starts {@link com.marketplace.jobs.calendar.CalendarSyncWorkflow}: it lists the enabled
 * integrations (a company's Google Calendar) this run has not synced yet, syncs each one in an
 * activity of its own (a few at a time: the first sync of a calendar lists all its events, later
 * ones only the changes since Google's sync token, an expired token falls back to a full sync),
 * then checks conflicts once for all of them: a block overlapping an ACTIVE order of its vehicle is
 * recorded once, and an open conflict whose block or order changed is cleared with the reason.
 */
package com.marketplace.jobs.calendar;
