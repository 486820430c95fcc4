package com.marketplace.jobs.calendar;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.List;

/** The calendar sync's steps (see {@link CalendarSyncWorkflow}). */
@ActivityInterface
public interface CalendarSyncActivities {

  /**
   * Enabled integrations not yet synced by the calling workflow (its workflow id is recorded on
   * each integration it syncs, so a run that continued as new goes on with the rest), in id order,
   * at most {@code limit}. Reads only.
   */
  @ActivityMethod
  List<Long> calendarIntegrationsToSync(int limit);

  /**
   * Brings the integration's blocks in line with its Google Calendar: with a stored sync token only
   * the changes since it (a 410 Gone drops the token and lists everything), else every event, page
   * by page; a full sync also deletes the blocks of events no longer there. Everything is written
   * in one transaction with the new sync token, so a retry after a failure starts from the old
   * token and writes the same rows (idempotent; keyed by integration and Google event id). Google's
   * rate-limit answers are retried with backoff inside; other temporary failures fail the call
   * (retried by Temporal); a refusal that cannot heal (404 calendar, 401/403) is recorded on the
   * integration and returned as {@link IntegrationSync#error()}.
   */
  @ActivityMethod
  IntegrationSync calendarSyncIntegration(long integrationId);

  /**
   * Records that this run gave up on the integration after its retries ({@code error}: ids and
   * status only), so a continued run skips it. Idempotent.
   */
  @ActivityMethod
  void calendarRecordSyncFailure(long integrationId, String error);

  /**
   * Clears each open conflict whose block was deleted or moved, or whose order moved or is no
   * longer ACTIVE (with that reason), then records one conflict per live block and ACTIVE order of
   * the same vehicle whose periods overlap and that has no open conflict yet. Set-based; idempotent
   * (an open conflict per block and order is unique).
   */
  @ActivityMethod
  ConflictCheck calendarCheckConflicts();
}
