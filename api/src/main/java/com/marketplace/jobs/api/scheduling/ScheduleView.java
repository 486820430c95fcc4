package com.marketplace.jobs.api.scheduling;

import java.time.Instant;
import java.util.List;

/**
 * A schedule as {@code GET /api/schedules} shows it.
 *
 * @param managedBy the owner in the schedule's {@code managed-by} memo: {@code background-jobs} for
 *     the worker's own schedules, null for a schedule made by hand
 * @param overlap Temporal's overlap policy without its prefix (SKIP, BUFFER_ONE, …)
 * @param catchupWindow ISO-8601 duration
 * @param actions runs the schedule has started so far (Temporal's count)
 * @param missedCatchupWindow runs Temporal dropped because they were later than the catch-up window
 * @param skippedOverlap runs Temporal skipped because the previous one was still running
 * @param lastRun the run with the latest scheduled time in the run log, or null
 */
public record ScheduleView(
    String id,
    String workflowType,
    String taskQueue,
    Spec spec,
    boolean paused,
    String note,
    String overlap,
    String catchupWindow,
    String managedBy,
    List<Instant> nextRunTimes,
    long actions,
    long missedCatchupWindow,
    long skippedOverlap,
    RunView lastRun) {

  /**
   * When the schedule fires.
   *
   * @param cron cron-style text of each calendar (minute hour day-of-month month day-of-week, with
   *     a leading seconds field when not 0), as Temporal keeps it: ranges, steps and numbers, no
   *     names
   * @param intervals ISO-8601 durations
   * @param timeZone IANA zone the calendars are read in
   */
  public record Spec(List<String> cron, List<String> intervals, String timeZone) {}
}
