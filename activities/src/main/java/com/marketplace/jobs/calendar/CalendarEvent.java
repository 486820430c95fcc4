package com.marketplace.jobs.calendar;

import java.time.Instant;

/**
 * One event as the sync needs it.
 *
 * @param blocking the vehicle is taken: the event is not cancelled (deleted) and not marked free
 *     (transparency {@code transparent})
 * @param startsAt null when cancelled (Google sends only the id of a deleted event)
 * @param vehicleId the event's private extended property {@code vehicleId}, as written (may name no
 *     vehicle of the company; the sync checks)
 */
public record CalendarEvent(
    String id,
    boolean blocking,
    Instant startsAt,
    Instant endsAt,
    String vehicleId,
    Instant updatedAt) {}
