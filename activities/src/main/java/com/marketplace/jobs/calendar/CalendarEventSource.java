package com.marketplace.jobs.calendar;

import java.io.IOException;

/** Where the events of a calendar come from: Google Calendar ({@link GoogleCalendarEvents}). */
public interface CalendarEventSource {

  /**
   * One page of the calendar's events: every event (deleted ones too, single instances of recurring
   * ones) when {@code syncToken} is null, else the changes since it.
   *
   * @param pageToken null for the first page
   * @throws SyncTokenExpiredException Google no longer accepts the sync token (410 Gone)
   * @throws CalendarRefusedException a refusal that a retry cannot heal (bad calendar id, no
   *     access)
   * @throws IOException a temporary failure (network, 5xx, still rate-limited after the backoff)
   */
  CalendarEventPage list(String calendarId, String syncToken, String pageToken) throws IOException;

  /** Google answered 410 Gone: the sync token expired, a full sync is required. */
  final class SyncTokenExpiredException extends IOException {
    public SyncTokenExpiredException() {
      super("sync token expired (410 Gone, fullSyncRequired)");
    }
  }

  /** Google refused for good: 4xx other than 410, 429 and the rate-limit 403s. */
  final class CalendarRefusedException extends IOException {
    private final int status;

    public CalendarRefusedException(int status, String reason) {
      super("Google Calendar refused: " + status + (reason == null ? "" : " " + reason));
      this.status = status;
    }

    public int status() {
      return status;
    }
  }
}
