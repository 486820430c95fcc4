package com.marketplace.jobs.api.jobs;

import com.marketplace.jobs.api.problems.ApiProblem;
import com.marketplace.jobs.common.JobType;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The operators' actions on failed jobs, for systems (the /ops page offers the same to people):
 * {@code POST /api/jobs/{jobId}/retry}, {@code POST /api/jobs/retry} over a filter, {@code POST
 * /api/jobs/{jobId}/resolve}. See {@link JobRetries}.
 */
@RestController
@RequestMapping("/api/jobs")
class JobActionsController {

  /** Longest comment kept with a resolution. */
  static final int MAX_COMMENT = 1000;

  private final JobRetries retries;

  JobActionsController(JobRetries retries) {
    this.retries = retries;
  }

  /** The new run of a retried job. */
  record RetryResponse(
      UUID jobId, String status, String workflowId, String runId, String statusUrl) {
    static RetryResponse of(JobRetries.Retried retried) {
      return new RetryResponse(
          retried.jobId(),
          "PROCESSING",
          retried.workflowId(),
          retried.runId(),
          "/api/jobs/" + retried.jobId());
    }
  }

  /**
   * @param type a job type, or absent for every type
   * @param period {@code 1h}, {@code 24h}, {@code 7d}, {@code 30d} or {@code all} (the default)
   */
  record BulkRetry(String type, String period) {}

  record BulkRetryResponse(
      int matched,
      int retried,
      List<RetryResponse> retriedJobs,
      List<JobRetries.NotRetried> notRetried,
      int remaining) {}

  record Resolve(String comment) {}

  @PostMapping("/{jobId}/retry")
  ResponseEntity<RetryResponse> retry(@PathVariable String jobId, Principal caller) {
    JobRetries.Retried retried =
        retries.retry(JobController.parseJobId(jobId, "jobId"), by(caller));
    return ResponseEntity.accepted().body(RetryResponse.of(retried));
  }

  @PostMapping("/retry")
  BulkRetryResponse retryAll(@RequestBody(required = false) BulkRetry filter, Principal caller) {
    String type = filter == null ? null : filter.type();
    if (type != null && JobType.byId(type).isEmpty()) {
      throw ApiProblem.invalidField("type", "is not a job type");
    }
    StatsPeriod period = StatsPeriod.of(filter == null ? null : filter.period());
    JobRetries.BulkResult result = retries.retryAll(type, period, by(caller));
    return new BulkRetryResponse(
        result.matched(),
        result.retried().size(),
        result.retried().stream().map(RetryResponse::of).toList(),
        result.notRetried(),
        result.remaining());
  }

  @PostMapping("/{jobId}/resolve")
  Map<String, Object> resolve(
      @PathVariable String jobId, @RequestBody(required = false) Resolve body, Principal caller) {
    UUID id = JobController.parseJobId(jobId, "jobId");
    String comment = body == null || body.comment() == null ? "" : body.comment().strip();
    if (comment.isEmpty()) {
      throw ApiProblem.invalidField("comment", "must say what was done by hand");
    }
    if (comment.length() > MAX_COMMENT) {
      throw ApiProblem.invalidField("comment", "must be at most " + MAX_COMMENT + " characters");
    }
    retries.resolve(id, comment, by(caller));
    return Map.of("jobId", id, "status", "FAILED", "resolution", "RESOLVED");
  }

  /** Who asked: the token's subject, or "api" for a token without one. */
  static String by(Principal caller) {
    return caller == null || caller.getName() == null || caller.getName().isBlank()
        ? "api"
        : "api:" + caller.getName();
  }
}
