package com.marketplace.jobs.api.jobs;

import com.marketplace.jobs.api.problems.ApiProblem;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/jobs/{jobId}/cancel} (scope {@code jobs:write}, like every POST): 200 with the
 * job when it is CANCELLED (at once, or already), 202 with the job while its workflow is still
 * cancelling; 404 for an unknown job, 409 for one that already COMPLETED or FAILED. How each case
 * is cancelled: {@link JobCancellation}.
 */
@RestController
class JobCancellationController {

  private final JobCancellation cancellation;

  JobCancellationController(JobCancellation cancellation) {
    this.cancellation = cancellation;
  }

  @PostMapping("/api/jobs/{jobId}/cancel")
  ResponseEntity<JobView> cancel(@PathVariable String jobId) {
    UUID id;
    try {
      id = UUID.fromString(jobId);
    } catch (IllegalArgumentException e) {
      throw ApiProblem.badRequest("jobId must be a job id (a UUID).");
    }
    JobView job = cancellation.cancel(id);
    HttpStatus status =
        JobStatus.CANCELLED.name().equals(job.status()) ? HttpStatus.OK : HttpStatus.ACCEPTED;
    return ResponseEntity.status(status).body(job);
  }
}
