package com.marketplace.jobs.calendar;

/**
 * What {@code calendarSyncIntegration} did for one integration.
 *
 * @param fullSync all events were listed (first sync, or Google said the sync token expired)
 * @param tokenExpired Google answered 410 Gone to the stored sync token
 * @param pages pages fetched (calls that answered; rate-limited attempts retried inside not
 *     counted)
 * @param changed blocks written: new, moved, deleted, or (full sync) no longer in the calendar
 * @param error why the integration could not be synced (a refusal that cannot heal), else null
 */
public record IntegrationSync(
    long integrationId,
    boolean fullSync,
    boolean tokenExpired,
    int pages,
    int changed,
    String error) {}
