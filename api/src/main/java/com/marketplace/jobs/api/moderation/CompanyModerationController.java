package com.marketplace.jobs.api.moderation;

import com.marketplace.jobs.api.intake.JobIntake;
import com.marketplace.jobs.api.intake.NewJob;
import com.marketplace.jobs.api.intake.TriggerResponse;
import com.marketplace.jobs.api.problems.ApiProblem;
import com.marketplace.jobs.common.JobType;
import com.marketplace.jobs.moderation.BanRequest;
import com.marketplace.jobs.moderation.UnbanRequest;
import jakarta.validation.Valid;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/companies/{companyId}/ban} and {@code .../unban}: checks the company and its
 * state, accepts the saga as a job (at most one unfinished moderation job per company) and answers
 * 202. Refusals (404, 409, 400) write nothing and start nothing.
 */
@RestController
class CompanyModerationController {

  /**
   * Moderation jobs change the same rows and listings, so at most one runs per company, and a
   * tenant's marketplace toggle runs alone in its tenant.
   */
  static final Set<JobType> MODERATION =
      Set.of(JobType.COMPANY_BAN, JobType.COMPANY_UNBAN, JobType.MARKETPLACE_TOGGLE);

  private final JobIntake intake;
  private final Companies companies;

  CompanyModerationController(JobIntake intake, Companies companies) {
    this.intake = intake;
    this.companies = companies;
  }

  /** What makes two moderation requests the same job, for duplicate detection. */
  record ModerationContent(long companyId, String action, String reason) {}

  @PostMapping("/api/companies/{companyId}/ban")
  ResponseEntity<TriggerResponse> ban(
      @PathVariable long companyId,
      @Valid @RequestBody BanCompany body,
      @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey) {
    Companies.Company company = existing(companyId);
    if ("BANNED".equals(company.status())) {
      throw new ApiProblem(
          HttpStatus.CONFLICT,
          "Company already banned",
          "Company " + companyId + " is already banned.",
          Map.of("companyStatus", company.status()));
    }
    String reason = body.reason().strip();
    return TriggerResponse.of(
        intake.accept(
            new NewJob(
                JobType.COMPANY_BAN,
                new ModerationContent(companyId, "ban", reason),
                jobId -> new BanRequest(jobId.toString(), companyId, reason),
                idempotencyKey,
                company.tenantId(),
                companyId,
                MODERATION)));
  }

  @PostMapping("/api/companies/{companyId}/unban")
  ResponseEntity<TriggerResponse> unban(
      @PathVariable long companyId,
      @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey) {
    Companies.Company company = existing(companyId);
    if (!"BANNED".equals(company.status())) {
      throw new ApiProblem(
          HttpStatus.CONFLICT,
          "Company not banned",
          "Company " + companyId + " is not banned.",
          Map.of("companyStatus", company.status()));
    }
    String banJobId = companies.latestCompletedBan(companyId).map(UUID::toString).orElse(null);
    return TriggerResponse.of(
        intake.accept(
            new NewJob(
                JobType.COMPANY_UNBAN,
                new ModerationContent(companyId, "unban", banJobId),
                jobId -> new UnbanRequest(jobId.toString(), companyId, banJobId),
                idempotencyKey,
                company.tenantId(),
                companyId,
                MODERATION)));
  }

  private Companies.Company existing(long companyId) {
    return companies
        .find(companyId)
        .orElseThrow(() -> ApiProblem.notFound("No company with id " + companyId + "."));
  }
}
