package com.marketplace.jobs.api.reports;

import com.marketplace.jobs.api.problems.ApiProblem;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/reports/touchpoints?from=YYYY-MM-DD&to=YYYY-MM-DD}: both days inclusive, at most
 * {@link #MAX_DAYS} days; a read, so it needs a {@code jobs:read} token like every {@code /api}
 * read. "Due" counts touchpoint rows: the reminders the service owed (claimed), whether or not they
 * went out, so due minus sent is what was missed.
 */
@RestController
class TouchpointReportController {

  static final int MAX_DAYS = 366;

  private final JdbcClient jdbc;

  TouchpointReportController(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @GetMapping("/api/reports/touchpoints")
  TouchpointReport touchpoints(
      @RequestParam(required = false) String from, @RequestParam(required = false) String to) {
    LocalDate first = day("from", from);
    LocalDate last = day("to", to);
    if (first.isAfter(last)) {
      throw ApiProblem.invalidField("from", "must not be after to");
    }
    if (ChronoUnit.DAYS.between(first, last) + 1 > MAX_DAYS) {
      throw ApiProblem.invalidField("to", "must be at most " + MAX_DAYS + " days from from");
    }
    var rows =
        jdbc.sql(
                """
                SELECT due_on, kind,
                       count(*) AS due,
                       count(sent_at) AS sent,
                       count(delivered_at) AS delivered,
                       count(*) FILTER (WHERE delivery_status IN ('FAILED', 'BOUNCED')) AS failed,
                       count(*) FILTER (WHERE late) AS late,
                       count(*) FILTER (WHERE delivery_status = 'COMPLAINED') AS complained
                  FROM touchpoints
                 WHERE due_on BETWEEN :from AND :to
                 GROUP BY due_on, kind
                 ORDER BY due_on, kind
                """)
            .param("from", first)
            .param("to", last)
            .query(
                (rs, n) -> {
                  long sent = rs.getLong("sent");
                  long delivered = rs.getLong("delivered");
                  return new TouchpointReport.Row(
                      rs.getObject("due_on", LocalDate.class),
                      rs.getString("kind"),
                      rs.getLong("due"),
                      sent,
                      delivered,
                      rs.getLong("failed"),
                      rs.getLong("late"),
                      rs.getLong("complained"),
                      sent == 0 ? null : Math.round(delivered * 10_000.0 / sent) / 10_000.0);
                })
            .list();
    return new TouchpointReport(first, last, rows);
  }

  private static LocalDate day(String name, String value) {
    if (value == null || value.isBlank()) {
      throw ApiProblem.invalidField(name, "is required (a date, YYYY-MM-DD)");
    }
    try {
      return LocalDate.parse(value.strip());
    } catch (DateTimeParseException e) {
      throw ApiProblem.invalidField(name, "must be a date, YYYY-MM-DD");
    }
  }
}
