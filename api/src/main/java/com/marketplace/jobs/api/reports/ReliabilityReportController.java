package com.marketplace.jobs.api.reports;

import java.time.LocalDate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/reports/reliability?from=YYYY-MM-DD&to=YYYY-MM-DD}: both UTC days inclusive, at
 * most {@link ReliabilityReports#MAX_DAYS} days; a read, so it needs a {@code jobs:read} token like
 * every {@code /api} read.
 */
@RestController
class ReliabilityReportController {

  private final ReliabilityReports reports;

  ReliabilityReportController(ReliabilityReports reports) {
    this.reports = reports;
  }

  @GetMapping("/api/reports/reliability")
  ReliabilityReport reliability(
      @RequestParam(required = false) String from, @RequestParam(required = false) String to) {
    LocalDate[] period = ReliabilityReports.period(from, to);
    return reports.report(period[0], period[1]);
  }
}
