package com.marketplace.jobs.calendar;

/**
 * What one run did (over all its continued runs, the last one's answer counts only its own part).
 *
 * @param integrations integrations synced or given up on
 * @param fullSyncs of those, synced in full (first sync, or an expired sync token)
 * @param failed of those, left with an error (last_error says which)
 * @param pages pages of events fetched from Google
 * @param changed blocks written (new, moved or deleted)
 * @param conflictsFlagged conflicts recorded by this run
 * @param conflictsCleared open conflicts this run cleared
 */
public record CalendarSyncRun(
    int integrations,
    int fullSyncs,
    int failed,
    int pages,
    int changed,
    int conflictsFlagged,
    int conflictsCleared) {}
