package com.marketplace.jobs.calendar;

import java.util.List;

/**
 * One page of an events list.
 *
 * @param nextPageToken null on the last page
 * @param nextSyncToken set on the last page only
 */
public record CalendarEventPage(
    List<CalendarEvent> events, String nextPageToken, String nextSyncToken) {}
