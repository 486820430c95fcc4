package com.marketplace.jobs.api.jobs;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * A job as {@code GET /api/jobs/{jobId}} shows it.
 *
 * @param dueAt when its trigger asked for a delay: the time before which it does not run
 * @param cancelRequestedAt when {@code POST /api/jobs/{id}/cancel} asked for its cancellation
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobView(
    UUID jobId,
    String type,
    String status,
    String priority,
    String workflowId,
    String runId,
    int attempts,
    OffsetDateTime createdAt,
    OffsetDateTime startedAt,
    OffsetDateTime finishedAt,
    Progress progress,
    Error lastError,
    String resolution,
    String statusUrl,
    UUID parentJobId,
    List<FollowUp> followUps,
    OffsetDateTime dueAt,
    OffsetDateTime cancelRequestedAt) {

  JobView withFollowUps(List<FollowUp> followUps) {
    return new JobView(
        jobId,
        type,
        status,
        priority,
        workflowId,
        runId,
        attempts,
        createdAt,
        startedAt,
        finishedAt,
        progress,
        lastError,
        resolution,
        statusUrl,
        parentJobId,
        followUps.isEmpty() ? null : followUps,
        dueAt,
        cancelRequestedAt);
  }

  /**
   * A job this one accepted once it committed (the email to a company about its ban): how it went,
   * so a failed email shows on the ban it tells of, while the ban stands.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record FollowUp(
      UUID jobId, String type, String status, Error lastError, String statusUrl) {}

  /**
   * How far a bulk job has got; absent for jobs that do not report progress.
   *
   * @param step the step it is in (or ended in)
   * @param batchSizes the sizes of its last batches (at most 20), oldest first
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Progress(long completed, long total, String step, List<Integer> batchSizes) {}

  /**
   * The last error of an attempt, or the one the job ended with; free of personal data. A job that
   * COMPLETED after retries keeps the error of its last failed attempt.
   */
  public record Error(String type, String message) {}
}
