/**
 * Calendar conflicts for people: {@code GET /api/calendar/conflicts} (a read, {@code jobs:read})
 * and the /ops calendar page read the conflicts the calendar sync recorded (worker, {@code
 * calendar-sync} schedule). Nothing here changes them: a conflict is cleared only by the sync, when
 * its block or its order changed.
 */
package com.marketplace.jobs.api.calendar;
