package com.marketplace.jobs.api.moderation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.marketplace.jobs.api.intake.AcceptedJob;
import com.marketplace.jobs.api.intake.JobDelay;
import com.marketplace.jobs.api.intake.JobIntake;
import com.marketplace.jobs.api.intake.NewJob;
import com.marketplace.jobs.api.problems.ApiProblem;
import com.marketplace.jobs.api.testsupport.TrustedCaller;
import com.marketplace.jobs.common.JobType;
import com.marketplace.jobs.moderation.BanRequest;
import com.marketplace.jobs.moderation.CompanyStatus;
import com.marketplace.jobs.moderation.UnbanRequest;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

@Import(TrustedCaller.class)
@WebMvcTest(CompanyModerationController.class)
class CompanyModerationControllerTest {

  private static final MediaType PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON;
  private static final UUID JOB_ID = UUID.fromString("6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f");

  @Autowired private MockMvc mvc;
  @MockitoBean private JobIntake intake;
  @MockitoBean private Companies companies;

  private void company(long id, String status) {
    when(companies.find(id)).thenReturn(Optional.of(new Companies.Company(id, 7)));
    when(companies.statusForModeration(id)).thenReturn(CompanyStatus.valueOf(status));
  }

  /** Like the real intake: the workflow input (and the checks in it) is built before accepting. */
  private void intakeAccepts(String workflowPrefix) {
    when(intake.accept(any()))
        .thenAnswer(
            call -> {
              NewJob job = call.getArgument(0);
              job.workflowInput().apply(JOB_ID);
              return new AcceptedJob(JOB_ID, workflowPrefix + JOB_ID, "PENDING", false);
            });
  }

  @Test
  void aBanOfAnActiveCompanyIsAcceptedAsAnExclusiveModerationJob() throws Exception {
    company(101, "ACTIVE");
    intakeAccepts("company_ban-");

    mvc.perform(
            post("/api/companies/101/ban")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"reason\": \"  Fraud reports  \"}"))
        .andExpect(status().isAccepted())
        .andExpect(header().string("Location", "/api/jobs/" + JOB_ID))
        .andExpect(jsonPath("$.jobId").value(JOB_ID.toString()))
        .andExpect(jsonPath("$.workflowId").value("company_ban-" + JOB_ID))
        .andExpect(jsonPath("$.status").value("PENDING"));

    ArgumentCaptor<NewJob> job = ArgumentCaptor.forClass(NewJob.class);
    verify(intake).accept(job.capture());
    assertThat(job.getValue().type()).isEqualTo(JobType.COMPANY_BAN);
    assertThat(job.getValue().companyId()).isEqualTo(101L);
    assertThat(job.getValue().tenantId()).isEqualTo(7L);
    assertThat(job.getValue().exclusiveWith())
        .isEqualTo(Set.of(JobType.COMPANY_BAN, JobType.COMPANY_UNBAN, JobType.MARKETPLACE_TOGGLE));
    assertThat(job.getValue().sameContent())
        .isEqualTo(NewJob.SameContent.SAME_JOB_WHILE_UNFINISHED);
    assertThat(job.getValue().workflowInput().apply(JOB_ID))
        .isEqualTo(new BanRequest(JOB_ID.toString(), 101, "Fraud reports"));
  }

  @Test
  void anUnbanReversesTheCompanysLatestCompletedBan() throws Exception {
    company(101, "BANNED");
    UUID banJob = UUID.randomUUID();
    when(companies.banToReverse(101)).thenReturn(Optional.of(banJob));
    intakeAccepts("company_unban-");

    mvc.perform(post("/api/companies/101/unban")).andExpect(status().isAccepted());

    ArgumentCaptor<NewJob> job = ArgumentCaptor.forClass(NewJob.class);
    verify(intake).accept(job.capture());
    assertThat(job.getValue().type()).isEqualTo(JobType.COMPANY_UNBAN);
    assertThat(job.getValue().workflowInput().apply(JOB_ID))
        .isEqualTo(new UnbanRequest(JOB_ID.toString(), 101, banJob.toString()));
  }

  @Test
  void aBanAndAnUnbanCarryTheirDelayToTheIntakeAndAnswerWithTheDueTime() throws Exception {
    company(101, "ACTIVE");
    company(102, "BANNED");
    when(companies.banToReverse(102)).thenReturn(Optional.of(UUID.randomUUID()));
    OffsetDateTime due = OffsetDateTime.parse("2026-12-24T08:00:00Z");
    when(intake.accept(any()))
        .thenReturn(new AcceptedJob(JOB_ID, "company_ban-" + JOB_ID, "PENDING", false, due));

    mvc.perform(
            post("/api/companies/101/ban")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"reason\": \"Fraud\", \"notBefore\": \"2026-12-24T08:00:00Z\"}"))
        .andExpect(status().isAccepted())
        .andExpect(jsonPath("$.dueAt").value("2026-12-24T08:00:00Z"));
    mvc.perform(
            post("/api/companies/102/unban")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"delaySeconds\": 3600}"))
        .andExpect(status().isAccepted());

    ArgumentCaptor<NewJob> jobs = ArgumentCaptor.forClass(NewJob.class);
    verify(intake, org.mockito.Mockito.times(2)).accept(jobs.capture());
    assertThat(jobs.getAllValues().get(0).delay())
        .isEqualTo(new JobDelay(Instant.parse("2026-12-24T08:00:00Z"), null));
    assertThat(jobs.getAllValues().get(1).delay()).isEqualTo(new JobDelay(null, 3600L));
  }

  @Test
  void anUnbanWithoutABodyHasNoDelay() throws Exception {
    company(101, "BANNED");
    when(companies.banToReverse(101)).thenReturn(Optional.of(UUID.randomUUID()));
    intakeAccepts("company_unban-");

    mvc.perform(post("/api/companies/101/unban")).andExpect(status().isAccepted());

    ArgumentCaptor<NewJob> job = ArgumentCaptor.forClass(NewJob.class);
    verify(intake).accept(job.capture());
    assertThat(job.getValue().delay()).isEqualTo(JobDelay.NONE);
  }

  @Test
  void anUnknownCompanyIs404() throws Exception {
    when(companies.find(999)).thenReturn(Optional.empty());

    mvc.perform(
            post("/api/companies/999/ban")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"reason\": \"x\"}"))
        .andExpect(status().isNotFound())
        .andExpect(header().string("Content-Type", PROBLEM_JSON.toString()))
        .andExpect(jsonPath("$.detail").value("No company with id 999."));
    verify(intake, never()).accept(any());
  }

  @Test
  void banningABannedCompanyAndUnbanningAnActiveOneAre409() throws Exception {
    company(101, "BANNED");
    company(102, "ACTIVE");
    intakeAccepts("company_moderation-");

    mvc.perform(
            post("/api/companies/101/ban")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"reason\": \"again\"}"))
        .andExpect(status().isConflict())
        .andExpect(jsonPath("$.detail").value("Company 101 is already banned."));
    mvc.perform(post("/api/companies/102/unban"))
        .andExpect(status().isConflict())
        .andExpect(jsonPath("$.detail").value("Company 102 is not banned."));
  }

  @Test
  void anUnbanOfACompanyNoCompletedBanBannedIs409() throws Exception {
    company(101, "BANNED");
    when(companies.banToReverse(101)).thenReturn(Optional.empty());
    intakeAccepts("company_unban-");

    mvc.perform(post("/api/companies/101/unban"))
        .andExpect(status().isConflict())
        .andExpect(header().string("Content-Type", PROBLEM_JSON.toString()))
        .andExpect(jsonPath("$.title").value("No ban to reverse"));
  }

  @Test
  void anotherUnfinishedModerationJobIs409WithItsId() throws Exception {
    company(101, "ACTIVE");
    UUID running = UUID.randomUUID();
    when(intake.accept(any()))
        .thenThrow(
            new ApiProblem(
                HttpStatus.CONFLICT,
                "Another job is running",
                "Company 101 already has an unfinished company_ban job.",
                Map.of("jobId", running)));

    mvc.perform(
            post("/api/companies/101/ban")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"reason\": \"second\"}"))
        .andExpect(status().isConflict())
        .andExpect(header().string("Content-Type", PROBLEM_JSON.toString()))
        .andExpect(jsonPath("$.jobId").value(running.toString()));
  }

  @Test
  void aMissingBlankOrOverlongReasonIs400NamingIt() throws Exception {
    company(101, "ACTIVE");
    for (String body :
        new String[] {"{}", "{\"reason\": \"   \"}", "{\"reason\": \"" + "x".repeat(501) + "\"}"}) {
      mvc.perform(
              post("/api/companies/101/ban").contentType(MediaType.APPLICATION_JSON).content(body))
          .andExpect(status().isBadRequest())
          .andExpect(header().string("Content-Type", PROBLEM_JSON.toString()))
          .andExpect(jsonPath("$.errors[0].field").value("reason"));
    }
    verify(intake, never()).accept(any());
  }

  @Test
  void aCompanyIdThatIsNotANumberIs400NamingIt() throws Exception {
    mvc.perform(post("/api/companies/abc/unban"))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.errors[0].field").value("companyId"));
    verify(intake, never()).accept(any());
  }
}
