package com.marketplace.jobs.api.search;

import com.marketplace.jobs.api.intake.JobDelay;
import com.marketplace.jobs.api.intake.JobIntake;
import com.marketplace.jobs.api.intake.NewJob;
import com.marketplace.jobs.api.intake.TriggerResponse;
import com.marketplace.jobs.api.problems.ApiProblem;
import com.marketplace.jobs.common.JobType;
import com.marketplace.jobs.search.ReindexRequest;
import com.marketplace.jobs.search.SearchScope;
import java.time.Instant;
import java.util.Set;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/search/reindex {"scope": "vehicles"|"companies"}}: accepts a re-index of that
 * search index as a job and answers 202. One re-index per scope at a time: while one is unfinished
 * a second is refused with 409 naming it; once it finished, a new request starts a new re-index.
 * Refusals (400, 409) write nothing and start nothing.
 */
@RestController
class SearchReindexController {

  private final JobIntake intake;

  SearchReindexController(JobIntake intake) {
    this.intake = intake;
  }

  /** The body; {@code notBefore} or {@code delaySeconds} delays the re-index ({@link JobDelay}). */
  record ReindexSearch(String scope, Instant notBefore, Long delaySeconds) {}

  /** What makes two re-index requests the same job: the scope alone. */
  record ReindexContent(String scope) {}

  @PostMapping("/api/search/reindex")
  ResponseEntity<TriggerResponse> reindex(
      @RequestBody(required = false) ReindexSearch body,
      @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey) {
    String scopes = String.join(", ", SearchScope.ids());
    if (body == null || body.scope() == null || body.scope().isBlank()) {
      throw ApiProblem.invalidField("scope", "is required: one of " + scopes);
    }
    SearchScope scope =
        SearchScope.byId(body.scope())
            .orElseThrow(() -> ApiProblem.invalidField("scope", "must be one of " + scopes));
    return TriggerResponse.of(
        intake.accept(
            new NewJob(
                    JobType.SEARCH_REINDEX,
                    new ReindexContent(scope.id()),
                    jobId -> ReindexRequest.start(jobId.toString(), scope),
                    idempotencyKey,
                    null,
                    null,
                    Set.of(),
                    NewJob.SameContent.REFUSED_WHILE_UNFINISHED,
                    null)
                .withDelay(new JobDelay(body.notBefore(), body.delaySeconds()))));
  }
}
