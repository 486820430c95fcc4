package com.marketplace.jobs.api.moderation;

import com.marketplace.jobs.api.intake.JobIntake;
import com.marketplace.jobs.api.intake.NewJob;
import com.marketplace.jobs.api.intake.TriggerResponse;
import com.marketplace.jobs.api.problems.ApiProblem;
import com.marketplace.jobs.common.JobType;
import com.marketplace.jobs.moderation.MarketplaceToggleRequest;
import jakarta.validation.Valid;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/tenants/{tenantId}/marketplace}: puts a tenant's companies and vehicle models on
 * the marketplace or takes them off, as an all-or-nothing saga. At most one moderation job runs in
 * a tenant while a toggle is unfinished (409 otherwise; the same toggle repeated meanwhile is the
 * same job); an unknown tenant is 404; a toggle that would change nothing is 409. Off → on → off
 * are three jobs. Refusals write nothing and start nothing.
 */
@RestController
class TenantMarketplaceController {

  private final JobIntake intake;
  private final Tenants tenants;

  TenantMarketplaceController(JobIntake intake, Tenants tenants) {
    this.intake = intake;
    this.tenants = tenants;
  }

  /** What makes two toggle requests the same job, for duplicate detection. */
  record ToggleContent(long tenantId, boolean enabled) {}

  @PostMapping("/api/tenants/{tenantId}/marketplace")
  ResponseEntity<TriggerResponse> toggle(
      @PathVariable long tenantId,
      @Valid @RequestBody ToggleMarketplace body,
      @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey) {
    if (!tenants.exists(tenantId)) {
      throw ApiProblem.notFound("No tenant with id " + tenantId + ".");
    }
    boolean enabled = body.enabled();
    return TriggerResponse.of(
        intake.accept(
            new NewJob(
                    JobType.MARKETPLACE_TOGGLE,
                    new ToggleContent(tenantId, enabled),
                    jobId -> {
                      // Inside the intake's transaction, after every other moderation job of the
                      // tenant was found finished: the state read here is the one the toggle starts
                      // from.
                      Tenants.Tenant tenant = tenants.find(tenantId).orElseThrow();
                      if (tenant.alreadyAll(enabled)) {
                        throw new ApiProblem(
                            HttpStatus.CONFLICT,
                            enabled ? "Already on the marketplace" : "Already off the marketplace",
                            "Every company and vehicle model of tenant "
                                + tenantId
                                + " is already "
                                + (enabled ? "on" : "off")
                                + " the marketplace.",
                            Map.of("enabled", enabled));
                      }
                      return new MarketplaceToggleRequest(jobId.toString(), tenantId, enabled);
                    },
                    idempotencyKey,
                    tenantId,
                    null,
                    CompanyModerationController.MODERATION,
                    NewJob.SameContent.SAME_JOB_WHILE_UNFINISHED,
                    null)
                .withDelay(body.delay())));
  }
}
