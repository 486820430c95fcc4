package com.marketplace.jobs.api.ops;

import com.marketplace.jobs.api.jobs.JobQueries;
import com.marketplace.jobs.api.jobs.JobRetries;
import com.marketplace.jobs.api.jobs.JobStats;
import com.marketplace.jobs.api.jobs.JobStatus;
import com.marketplace.jobs.api.jobs.JobView;
import com.marketplace.jobs.api.jobs.StatsPeriod;
import com.marketplace.jobs.api.problems.ApiProblem;
import com.marketplace.jobs.common.JobType;
import io.swagger.v3.oas.annotations.Hidden;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The /ops pages: the overview (counts), failed jobs, one job. Each live part is a fragment the
 * page's script reloads; each action is a form with the session's CSRF token, open to operators
 * only, that redirects back with what happened.
 */
@Hidden
@Controller
@RequestMapping("/ops")
class OpsController {

  /** Failed jobs listed at once; the filter narrows them down. */
  static final int FAILED_LIST_LIMIT = 100;

  private final JobQueries jobs;
  private final JobRetries retries;
  private final OpsProperties properties;
  private final TemporalUiLinks links;

  OpsController(
      JobQueries jobs,
      JobRetries retries,
      OpsProperties properties,
      @Value("${spring.temporal.namespace:default}") String namespace) {
    this.jobs = jobs;
    this.retries = retries;
    this.properties = properties;
    this.links = new TemporalUiLinks(properties.temporalUiUrl(), namespace);
  }

  @GetMapping("/login")
  String login() {
    return "ops/login";
  }

  @GetMapping({"", "/"})
  String overview(@RequestParam(required = false) String period, Authentication user, Model model) {
    page(user, model);
    return counts(period(period), model, "ops/index");
  }

  /** The counts alone, for the page's live refresh. */
  @GetMapping("/counts")
  String countsFragment(@RequestParam(required = false) String period, Model model) {
    return counts(period(period), model, "ops/counts :: counts");
  }

  @GetMapping("/failed")
  String failed(
      @RequestParam(required = false) String type,
      @RequestParam(required = false) String period,
      Authentication user,
      Model model) {
    page(user, model);
    String chosenType = type(type);
    StatsPeriod chosenPeriod = period(period);
    List<JobView> failed = jobs.failed(chosenType, chosenPeriod, FAILED_LIST_LIMIT);
    model.addAttribute("type", chosenType);
    model.addAttribute("period", chosenPeriod);
    model.addAttribute("types", Arrays.stream(JobType.values()).map(JobType::id).toList());
    model.addAttribute("failed", failed);
    model.addAttribute(
        "unresolved", failed.stream().filter(job -> "UNRESOLVED".equals(job.resolution())).count());
    return "ops/failed";
  }

  @GetMapping("/jobs/{jobId}")
  String job(@PathVariable String jobId, Authentication user, Model model) {
    page(user, model);
    UUID id = jobId(jobId);
    JobView job = jobs.find(id).orElse(null);
    if (job == null) {
      model.addAttribute("message", "There is no job " + id + ".");
      return "ops/not-found";
    }
    model.addAttribute("job", job);
    model.addAttribute("retries", jobs.retries(id));
    model.addAttribute("resolution", jobs.resolution(id).orElse(null));
    return "ops/job";
  }

  @PostMapping("/jobs/{jobId}/retry")
  String retry(@PathVariable String jobId, Authentication user, RedirectAttributes flash) {
    UUID id = jobId(jobId);
    try {
      JobRetries.Retried retried = retries.retry(id, by(user));
      flash.addFlashAttribute("notice", "Retried: run " + retried.runId() + " started.");
    } catch (ApiProblem refused) {
      flash.addFlashAttribute("problem", refused.getMessage());
    }
    return "redirect:/ops/jobs/" + id;
  }

  @PostMapping("/jobs/{jobId}/resolve")
  String resolve(
      @PathVariable String jobId,
      @RequestParam(required = false) String comment,
      Authentication user,
      RedirectAttributes flash) {
    UUID id = jobId(jobId);
    String text = comment == null ? "" : comment.strip();
    if (text.isEmpty()) {
      flash.addFlashAttribute("problem", "Say what was done by hand before marking it resolved.");
    } else {
      try {
        retries.resolve(id, text.length() > 1000 ? text.substring(0, 1000) : text, by(user));
        flash.addFlashAttribute("notice", "Marked resolved.");
      } catch (ApiProblem refused) {
        flash.addFlashAttribute("problem", refused.getMessage());
      }
    }
    return "redirect:/ops/jobs/" + id;
  }

  /** Retries every failed, unresolved job the list's filter matches. */
  @PostMapping("/failed/retry")
  String retryAll(
      @RequestParam(required = false) String type,
      @RequestParam(required = false) String period,
      Authentication user,
      RedirectAttributes flash) {
    String chosenType = type(type);
    StatsPeriod chosenPeriod = period(period);
    JobRetries.BulkResult result = retries.retryAll(chosenType, chosenPeriod, by(user));
    StringBuilder notice =
        new StringBuilder(
            "Retried " + result.retried().size() + " of " + result.matched() + " failed jobs.");
    if (!result.notRetried().isEmpty()) {
      notice.append(
          " Not retried: "
              + result.notRetried().stream()
                  .map(not -> not.jobId() + " (" + not.reason() + ")")
                  .collect(Collectors.joining("; "))
              + ".");
    }
    if (result.remaining() > 0) {
      notice.append(" " + result.remaining() + " more match: retry again for the rest.");
    }
    flash.addFlashAttribute(result.notRetried().isEmpty() ? "notice" : "problem", notice);
    UriComponentsBuilder back = UriComponentsBuilder.fromPath("/ops/failed");
    if (chosenType != null) {
      back.queryParam("type", chosenType);
    }
    back.queryParam("period", chosenPeriod.label());
    return "redirect:" + back.toUriString();
  }

  private void page(Authentication user, Model model) {
    model.addAttribute("user", user.getName());
    model.addAttribute("operator", isOperator(user));
    model.addAttribute("periods", StatsPeriod.values());
    model.addAttribute("refreshMillis", properties.refreshInterval().toMillis());
    model.addAttribute("links", links);
  }

  private String counts(StatsPeriod period, Model model, String view) {
    JobStats stats = jobs.stats(period);
    model.addAttribute("period", period);
    model.addAttribute("stats", stats);
    model.addAttribute("statuses", Arrays.stream(JobStatus.values()).map(Enum::name).toList());
    return view;
  }

  private static String by(Authentication user) {
    return "ops:" + user.getName();
  }

  /**
   * The page opens on the last 24 hours, what an operator looks at first (and cheap to count on a
   * large ledger); an unknown period shows the same rather than an error page.
   */
  private static StatsPeriod period(String label) {
    if (label == null || label.isBlank()) {
      return StatsPeriod.DAY;
    }
    try {
      return StatsPeriod.of(label);
    } catch (ApiProblem unknown) {
      return StatsPeriod.DAY;
    }
  }

  /** An unknown or empty type means every type. */
  private static String type(String type) {
    return type == null || JobType.byId(type).isEmpty() ? null : type;
  }

  private static UUID jobId(String value) {
    try {
      return UUID.fromString(value);
    } catch (IllegalArgumentException e) {
      throw ApiProblem.notFound("No job " + value.replaceAll("[^0-9a-fA-F-]", "") + ".");
    }
  }

  private static boolean isOperator(Authentication user) {
    return user.getAuthorities().stream()
        .anyMatch(authority -> authority.getAuthority().equals(OpsRole.OPERATOR.authority()));
  }
}
