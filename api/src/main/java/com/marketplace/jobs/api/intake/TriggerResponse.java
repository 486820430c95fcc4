package com.marketplace.jobs.api.intake;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.marketplace.jobs.api.jobs.JobLinks;
import java.net.URI;
import java.time.OffsetDateTime;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/**
 * What every trigger answers: {@code 202 {"jobId", "workflowId", "status", "statusUrl"}} with a
 * Location header, and {@code Idempotent-Replayed: true} when the request matched an existing job;
 * {@code "dueAt"} too when the trigger asked for a delay.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TriggerResponse(
    String jobId, String workflowId, String status, String statusUrl, OffsetDateTime dueAt) {

  public static ResponseEntity<TriggerResponse> of(AcceptedJob job) {
    String statusUrl = JobLinks.statusPath(job.jobId());
    ResponseEntity.BodyBuilder response =
        ResponseEntity.status(HttpStatus.ACCEPTED).location(URI.create(statusUrl));
    if (job.replayed()) {
      response.header("Idempotent-Replayed", "true");
    }
    return response.body(
        new TriggerResponse(
            job.jobId().toString(), job.workflowId(), job.status(), statusUrl, job.dueAt()));
  }
}
