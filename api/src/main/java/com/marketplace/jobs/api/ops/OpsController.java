package com.marketplace.jobs.api.ops;

import com.marketplace.jobs.api.jobs.JobQueries;
import com.marketplace.jobs.api.jobs.JobStats;
import com.marketplace.jobs.api.jobs.JobStatus;
import com.marketplace.jobs.api.jobs.StatsPeriod;
import com.marketplace.jobs.api.problems.ApiProblem;
import io.swagger.v3.oas.annotations.Hidden;
import java.util.Arrays;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The /ops pages. Each live part is a fragment the page's script reloads. */
@Hidden
@Controller
@RequestMapping("/ops")
class OpsController {

  private final JobQueries jobs;
  private final OpsProperties properties;

  OpsController(JobQueries jobs, OpsProperties properties) {
    this.jobs = jobs;
    this.properties = properties;
  }

  @GetMapping("/login")
  String login() {
    return "ops/login";
  }

  @GetMapping({"", "/"})
  String overview(@RequestParam(required = false) String period, Authentication user, Model model) {
    StatsPeriod chosen = period(period);
    model.addAttribute("user", user.getName());
    model.addAttribute("operator", isOperator(user));
    model.addAttribute("periods", StatsPeriod.values());
    model.addAttribute("refreshMillis", properties.refreshInterval().toMillis());
    return counts(chosen, model, "ops/index");
  }

  /** The counts alone, for the page's live refresh. */
  @GetMapping("/counts")
  String countsFragment(@RequestParam(required = false) String period, Model model) {
    return counts(period(period), model, "ops/counts :: counts");
  }

  private String counts(StatsPeriod period, Model model, String view) {
    JobStats stats = jobs.stats(period);
    model.addAttribute("period", period);
    model.addAttribute("stats", stats);
    model.addAttribute("statuses", Arrays.stream(JobStatus.values()).map(Enum::name).toList());
    return view;
  }

  /** An unknown period shows the whole history rather than an error page. */
  private static StatsPeriod period(String label) {
    try {
      return StatsPeriod.of(label);
    } catch (ApiProblem unknown) {
      return StatsPeriod.ALL;
    }
  }

  private static boolean isOperator(Authentication user) {
    return user.getAuthorities().stream()
        .anyMatch(authority -> authority.getAuthority().equals(OpsRole.OPERATOR.authority()));
  }
}
