package com.marketplace.jobs.api.jobs;

import com.marketplace.jobs.api.problems.ApiProblem;
import com.marketplace.jobs.common.JobType;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Job status and reports, read from the ledger. */
@RestController
@RequestMapping("/api/jobs")
class JobController {

  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 500;

  private final JobQueries jobs;

  JobController(JobQueries jobs) {
    this.jobs = jobs;
  }

  @GetMapping("/{jobId}")
  JobView job(@PathVariable String jobId) {
    UUID id = parseJobId(jobId, "jobId");
    return jobs.find(id).orElseThrow(() -> ApiProblem.notFound("No job with id " + id + "."));
  }

  @GetMapping
  JobPage list(
      @RequestParam(required = false) String status,
      @RequestParam(required = false) String type,
      @RequestParam(required = false) Integer limit,
      @RequestParam(required = false) String before) {
    JobStatus parsedStatus = status == null ? null : parseStatus(status);
    if (type != null && JobType.byId(type).isEmpty()) {
      throw ApiProblem.badRequest(
          "type must be one of "
              + Arrays.stream(JobType.values()).map(JobType::id).collect(Collectors.joining(", "))
              + ".");
    }
    int pageSize = limit == null ? DEFAULT_LIMIT : limit;
    if (pageSize < 1 || pageSize > MAX_LIMIT) {
      throw ApiProblem.badRequest("limit must be between 1 and " + MAX_LIMIT + ".");
    }
    UUID beforeJob = null;
    OffsetDateTime beforeTime = null;
    if (before != null) {
      try {
        beforeTime = OffsetDateTime.parse(before);
      } catch (DateTimeParseException notATime) {
        beforeJob = parseJobId(before, "before");
        if (jobs.find(beforeJob).isEmpty()) {
          throw ApiProblem.badRequest(
              "before must be the id of an existing job (the nextBefore of a previous page).");
        }
      }
    }
    List<JobView> page = jobs.list(parsedStatus, type, pageSize, beforeJob, beforeTime);
    String next = page.size() == pageSize ? page.get(page.size() - 1).jobId().toString() : null;
    return new JobPage(page, next);
  }

  /**
   * @param period {@code 1h}, {@code 24h}, {@code 7d}, {@code 30d} or {@code all} (the default):
   *     jobs accepted within it
   */
  @GetMapping("/stats")
  JobStats stats(@RequestParam(required = false) String period) {
    return jobs.stats(StatsPeriod.of(period));
  }

  private static JobStatus parseStatus(String status) {
    try {
      return JobStatus.valueOf(status);
    } catch (IllegalArgumentException e) {
      throw ApiProblem.badRequest(
          "status must be one of "
              + Arrays.stream(JobStatus.values()).map(Enum::name).collect(Collectors.joining(", "))
              + ".");
    }
  }

  static UUID parseJobId(String value, String name) {
    try {
      return UUID.fromString(value);
    } catch (IllegalArgumentException e) {
      throw ApiProblem.badRequest(
          name
              + " must be a job id (a UUID)"
              + ("before".equals(name) ? " or an ISO-8601 timestamp" : "")
              + ".");
    }
  }
}
