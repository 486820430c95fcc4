package com.marketplace.jobs.api.ops;

import com.marketplace.jobs.api.problems.ApiProblem;
import com.marketplace.jobs.api.reports.ReliabilityReport;
import com.marketplace.jobs.api.reports.ReliabilityReports;
import io.swagger.v3.oas.annotations.Hidden;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * /ops/report: the reliability report ({@code GET /api/reports/reliability}) as a table, for the
 * last 30 UTC days up to today unless the form asks for other days. Bad dates show what is wrong
 * instead of a table.
 */
@Hidden
@Controller
class OpsReportController {

  static final int DEFAULT_DAYS = 30;

  private final ReliabilityReports reports;

  OpsReportController(ReliabilityReports reports) {
    this.reports = reports;
  }

  @GetMapping("/ops/report")
  String report(
      @RequestParam(required = false) String from,
      @RequestParam(required = false) String to,
      Authentication user,
      Model model) {
    model.addAttribute("user", user.getName());
    model.addAttribute(
        "operator",
        user.getAuthorities().stream()
            .anyMatch(a -> a.getAuthority().equals(OpsRole.OPERATOR.authority())));
    model.addAttribute("maxDays", ReliabilityReports.MAX_DAYS);
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    String chosenTo = to == null || to.isBlank() ? today.toString() : to.strip();
    String chosenFrom =
        from == null || from.isBlank()
            ? today.minusDays(DEFAULT_DAYS - 1).toString()
            : from.strip();
    model.addAttribute("from", chosenFrom);
    model.addAttribute("to", chosenTo);
    try {
      LocalDate[] period = ReliabilityReports.period(chosenFrom, chosenTo);
      ReliabilityReport report = reports.report(period[0], period[1]);
      List<ReliabilityReport.Figures> rows = new ArrayList<>();
      rows.add(report.overall());
      rows.addAll(report.byType());
      model.addAttribute("report", report);
      model.addAttribute("rows", rows);
    } catch (ApiProblem refused) {
      model.addAttribute("problem", refused.getMessage());
    }
    return "ops/report";
  }
}
