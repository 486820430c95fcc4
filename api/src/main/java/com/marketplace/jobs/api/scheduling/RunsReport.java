package com.marketplace.jobs.api.scheduling;

import java.time.Instant;
import java.util.List;

/**
 * A schedule's runs over a period ({@code GET /api/schedules/{id}/runs}).
 *
 * @param expected the schedule's times in the period, as Temporal lists them from its current spec
 *     (paused or not)
 * @param executed runs in the run log at one of those times
 * @param manual runs at other times (triggered by hand)
 * @param reliability executed / expected; null when nothing was expected
 * @param lateness of the executed runs: start minus scheduled time
 * @param runs every run in the period, oldest first
 */
public record RunsReport(
    String scheduleId,
    Instant from,
    Instant to,
    int expected,
    int executed,
    int manual,
    Double reliability,
    Lateness lateness,
    List<RunView> runs) {

  /** Percentiles by nearest rank, in milliseconds; null when no run was executed. */
  public record Lateness(Long p50Millis, Long p95Millis, Long maxMillis) {}
}
