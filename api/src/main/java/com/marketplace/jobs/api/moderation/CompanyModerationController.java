package com.marketplace.jobs.api.moderation;

import com.marketplace.jobs.api.intake.JobDelay;
import com.marketplace.jobs.api.intake.JobIntake;
import com.marketplace.jobs.api.intake.NewJob;
import com.marketplace.jobs.api.intake.TriggerResponse;
import com.marketplace.jobs.api.problems.ApiProblem;
import com.marketplace.jobs.common.JobType;
import com.marketplace.jobs.moderation.BanRequest;
import com.marketplace.jobs.moderation.CompanyStatus;
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

  /**
   * Accepted while the company is ACTIVE, checked inside the intake's transaction (after the other
   * moderation jobs of the company were found finished), so a ban that completed a moment ago is
   * seen. The same ban repeated while it is unfinished is the same job; once it has finished, a ban
   * is a new command.
   */
  @PostMapping("/api/companies/{companyId}/ban")
  ResponseEntity<TriggerResponse> ban(
      @PathVariable long companyId,
      @Valid @RequestBody BanCompany body,
      @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey) {
    Companies.Company company = existing(companyId);
    String reason = body.reason().strip();
    return TriggerResponse.of(
        intake.accept(
            new NewJob(
                    JobType.COMPANY_BAN,
                    new ModerationContent(companyId, "ban", reason),
                    jobId -> {
                      CompanyStatus status = companies.statusForModeration(companyId);
                      if (status == CompanyStatus.BANNED) {
                        throw new ApiProblem(
                            HttpStatus.CONFLICT,
                            "Company already banned",
                            "Company " + companyId + " is already banned.",
                            Map.of("companyStatus", status.name()));
                      }
                      return new BanRequest(jobId.toString(), companyId, reason);
                    },
                    idempotencyKey,
                    company.tenantId(),
                    companyId,
                    MODERATION,
                    NewJob.SameContent.SAME_JOB_WHILE_UNFINISHED,
                    null)
                .withDelay(body.delay())));
  }

  /**
   * Reverses the company's latest ban that left changes in place (completed, or terminated by an
   * operator half-way), read with its status inside the intake's transaction. A company that is not
   * banned, or that no ban of ours banned (banned by hand, say), is refused with 409: there is
   * nothing recorded to reverse.
   */
  @PostMapping("/api/companies/{companyId}/unban")
  ResponseEntity<TriggerResponse> unban(
      @PathVariable long companyId,
      @RequestBody(required = false) UnbanCompany body,
      @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey) {
    Companies.Company company = existing(companyId);
    return TriggerResponse.of(
        intake.accept(
            new NewJob(
                    JobType.COMPANY_UNBAN,
                    new ModerationContent(companyId, "unban", null),
                    jobId -> {
                      CompanyStatus status = companies.statusForModeration(companyId);
                      if (status != CompanyStatus.BANNED) {
                        throw new ApiProblem(
                            HttpStatus.CONFLICT,
                            "Company not banned",
                            "Company " + companyId + " is not banned.",
                            Map.of("companyStatus", status.name()));
                      }
                      UUID banJobId =
                          companies
                              .banToReverse(companyId)
                              .orElseThrow(
                                  () ->
                                      new ApiProblem(
                                          HttpStatus.CONFLICT,
                                          "No ban to reverse",
                                          "Company "
                                              + companyId
                                              + " is banned, but no ban job of this service left"
                                              + " recorded changes to reverse.",
                                          Map.of("companyStatus", status.name())));
                      return new UnbanRequest(jobId.toString(), companyId, banJobId.toString());
                    },
                    idempotencyKey,
                    company.tenantId(),
                    companyId,
                    MODERATION,
                    NewJob.SameContent.SAME_JOB_WHILE_UNFINISHED,
                    null)
                .withDelay(body == null ? JobDelay.NONE : body.delay())));
  }

  private Companies.Company existing(long companyId) {
    return companies
        .find(companyId)
        .orElseThrow(() -> ApiProblem.notFound("No company with id " + companyId + "."));
  }
}
