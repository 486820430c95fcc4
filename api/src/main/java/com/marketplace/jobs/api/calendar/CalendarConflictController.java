package com.marketplace.jobs.api.calendar;

import com.marketplace.jobs.api.problems.ApiProblem;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/calendar/conflicts?status=open|cleared|all&companyId=&limit=}: the conflicts the
 * calendar sync recorded (a block of a company's Google Calendar overlapping an ACTIVE order of the
 * same vehicle), newest first; {@code open} by default, at most {@link #MAX_LIMIT}. A read, so it
 * needs a {@code jobs:read} token like every {@code /api} read; a bad parameter is a 400 problem.
 */
@RestController
class CalendarConflictController {

  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;

  record ConflictList(
      String status, Long companyId, int count, List<CalendarConflictView> conflicts) {}

  private final CalendarConflicts conflicts;

  CalendarConflictController(CalendarConflicts conflicts) {
    this.conflicts = conflicts;
  }

  @GetMapping("/api/calendar/conflicts")
  ConflictList list(
      @RequestParam(required = false) String status,
      @RequestParam(required = false) String companyId,
      @RequestParam(required = false) String limit) {
    CalendarConflicts.Status which = status(status);
    Long company = companyId == null ? null : positive("companyId", companyId);
    int max =
        limit == null ? DEFAULT_LIMIT : (int) Math.min(positive("limit", limit), MAX_LIMIT + 1L);
    if (max > MAX_LIMIT) {
      throw ApiProblem.invalidField("limit", "must be between 1 and " + MAX_LIMIT);
    }
    List<CalendarConflictView> found = conflicts.find(which, company, max);
    return new ConflictList(which.id(), company, found.size(), found);
  }

  private static CalendarConflicts.Status status(String value) {
    if (value == null) {
      return CalendarConflicts.Status.OPEN;
    }
    String names =
        Arrays.stream(CalendarConflicts.Status.values())
            .map(CalendarConflicts.Status::id)
            .collect(Collectors.joining(", "));
    try {
      return CalendarConflicts.Status.valueOf(value.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ApiProblem.invalidField("status", "must be one of " + names);
    }
  }

  private static long positive(String name, String value) {
    try {
      long parsed = Long.parseLong(value.strip());
      if (parsed > 0) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // Answered below.
    }
    throw ApiProblem.invalidField(name, "must be a positive integer");
  }
}
