/**
 * Calendar synchronisation's activities (see the workflows module's {@code calendar} package):
 * Google Calendar's events through Google's own client ({@link
 * com.marketplace.jobs.calendar.GoogleCalendarEvents}) into availability blocks, and the conflicts
 * between blocks and active orders, in plain SQL.
 */
package com.marketplace.jobs.calendar;
