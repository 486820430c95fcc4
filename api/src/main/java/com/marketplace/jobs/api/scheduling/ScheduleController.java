package com.marketplace.jobs.api.scheduling;

import com.marketplace.jobs.api.problems.ApiProblem;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The schedules, their run log, and a manual run. */
@RestController
@RequestMapping("/api/schedules")
class ScheduleController {

  /** Schedule ids the worker's configuration allows (ScheduleTasks.SCHEDULE_ID). */
  static final Pattern SCHEDULE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");

  static final Duration DEFAULT_PERIOD = Duration.ofDays(1);
  static final Duration MAX_PERIOD = Duration.ofDays(31);

  private final TemporalSchedules schedules;
  private final ScheduleRunLog runLog;

  ScheduleController(TemporalSchedules schedules, ScheduleRunLog runLog) {
    this.schedules = schedules;
    this.runLog = runLog;
  }

  @GetMapping
  List<ScheduleView> list() {
    List<ScheduleView> views = new ArrayList<>();
    for (String id : schedules.ids()) {
      try {
        views.add(schedules.describe(id, runLog.last(id).orElse(null)));
      } catch (ApiProblem gone) {
        if (gone.status() != HttpStatus.NOT_FOUND) {
          throw gone;
        }
        // Deleted between the list and its description: no longer a schedule.
      }
    }
    return views;
  }

  @GetMapping("/{scheduleId}")
  ScheduleView schedule(@PathVariable String scheduleId) {
    String id = known(scheduleId);
    return schedules.describe(id, runLog.last(id).orElse(null));
  }

  @GetMapping("/{scheduleId}/runs")
  RunsReport runs(
      @PathVariable String scheduleId,
      @RequestParam(required = false) String from,
      @RequestParam(required = false) String to) {
    String id = known(scheduleId);
    Instant end = to == null ? Instant.now() : instant("to", to);
    Instant start = from == null ? end.minus(DEFAULT_PERIOD) : instant("from", from);
    if (!start.isBefore(end)) {
      throw ApiProblem.invalidField("from", "must be before to");
    }
    if (Duration.between(start, end).compareTo(MAX_PERIOD) > 0) {
      throw ApiProblem.invalidField("from", "must be at most 31 days before to");
    }
    // 404 before anything else when there is no such schedule.
    schedules.describe(id, null);
    List<RunView> logged = runLog.between(id, start, end);
    if (logged.size() > ScheduleRunLog.MAX_RUNS) {
      throw ApiProblem.invalidField(
          "from",
          "the period holds more than " + ScheduleRunLog.MAX_RUNS + " runs; ask for a shorter one");
    }
    Set<Instant> expected = new HashSet<>(schedules.matchingTimes(id, start, end));
    List<RunView> runs = new ArrayList<>();
    List<Long> lateness = new ArrayList<>();
    Set<Instant> executed = new HashSet<>();
    int manual = 0;
    for (RunView run : logged) {
      boolean isManual = !expected.contains(run.scheduledAt());
      runs.add(run.asManual(isManual));
      if (isManual) {
        manual++;
      } else if (executed.add(run.scheduledAt())) {
        lateness.add(run.latenessMillis());
      }
    }
    Double reliability = expected.isEmpty() ? null : (double) executed.size() / expected.size();
    return new RunsReport(
        id,
        start,
        end,
        expected.size(),
        executed.size(),
        manual,
        reliability,
        lateness(lateness),
        runs);
  }

  @PostMapping("/{scheduleId}/trigger")
  ResponseEntity<TriggerAnswer> trigger(@PathVariable String scheduleId) {
    String id = known(scheduleId);
    Instant requestedAt = Instant.now();
    // A describe first: an unknown id is a 404 before anything is asked of the schedule.
    schedules.describe(id, null);
    schedules.trigger(id);
    String runsUrl =
        "/api/schedules/" + id + "/runs?from=" + requestedAt.minusSeconds(60).toString();
    return ResponseEntity.status(HttpStatus.ACCEPTED)
        .body(new TriggerAnswer(id, "TRIGGERED", requestedAt, runsUrl));
  }

  /** An id no schedule can have is answered like an unknown one, without asking Temporal. */
  private static String known(String scheduleId) {
    if (!SCHEDULE_ID.matcher(scheduleId).matches()) {
      throw ApiProblem.notFound("No schedule with this id.");
    }
    return scheduleId;
  }

  private static Instant instant(String name, String value) {
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      throw ApiProblem.invalidField(
          name, "must be an ISO-8601 timestamp with an offset, e.g. 2026-12-01T00:00:00Z");
    }
  }

  /** Nearest-rank percentiles of the lateness of executed runs. */
  static RunsReport.Lateness lateness(List<Long> millis) {
    if (millis.isEmpty()) {
      return new RunsReport.Lateness(null, null, null);
    }
    List<Long> sorted = millis.stream().sorted().toList();
    return new RunsReport.Lateness(
        percentile(sorted, 50), percentile(sorted, 95), sorted.get(sorted.size() - 1));
  }

  private static long percentile(List<Long> sorted, int percent) {
    int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
    return sorted.get(Math.max(rank, 1) - 1);
  }
}
