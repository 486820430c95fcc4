package com.marketplace.jobs.api.calendar;

import java.time.Instant;

/**
 * One conflict as the API and /ops show it: the periods as they were when it was detected, the
 * order's status now, and whether (and why) it was cleared.
 *
 * @param status {@code open} or {@code cleared}
 * @param clearedReason BLOCK_DELETED, BLOCK_MOVED, ORDER_NOT_ACTIVE or ORDER_MOVED; null while open
 */
public record CalendarConflictView(
    long id,
    String status,
    long companyId,
    long vehicleId,
    long orderId,
    String orderStatus,
    long integrationId,
    String googleEventId,
    Instant blockStartsAt,
    Instant blockEndsAt,
    Instant orderStartsAt,
    Instant orderEndsAt,
    Instant detectedAt,
    Instant clearedAt,
    String clearedReason) {}
