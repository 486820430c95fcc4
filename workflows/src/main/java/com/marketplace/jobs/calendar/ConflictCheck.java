package com.marketplace.jobs.calendar;

/**
 * What {@code calendarCheckConflicts} did.
 *
 * @param flagged new conflicts recorded
 * @param cleared open conflicts cleared because their block or order changed
 * @param open conflicts open after the check
 */
public record ConflictCheck(int flagged, int cleared, int open) {}
