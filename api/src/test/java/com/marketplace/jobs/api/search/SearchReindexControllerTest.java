package com.marketplace.jobs.api.search;

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
import com.marketplace.jobs.search.ReindexRequest;
import java.time.Instant;
import java.util.Map;
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
@WebMvcTest(SearchReindexController.class)
class SearchReindexControllerTest {

  private static final MediaType PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON;
  private static final UUID JOB_ID = UUID.fromString("0b6c8a52-2f4e-4d7a-9c31-5e8f7a6b9d10");

  @Autowired private MockMvc mvc;
  @MockitoBean private JobIntake intake;

  @Test
  void aReindexOfAKnownScopeIsAcceptedAsAJobRefusedWhileTheSameIsUnfinished() throws Exception {
    when(intake.accept(any()))
        .thenReturn(new AcceptedJob(JOB_ID, "search_reindex-" + JOB_ID, "PENDING", false));

    mvc.perform(
            post("/api/search/reindex")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"scope\": \"vehicles\"}"))
        .andExpect(status().isAccepted())
        .andExpect(header().string("Location", "/api/jobs/" + JOB_ID))
        .andExpect(jsonPath("$.jobId").value(JOB_ID.toString()))
        .andExpect(jsonPath("$.workflowId").value("search_reindex-" + JOB_ID))
        .andExpect(jsonPath("$.status").value("PENDING"))
        .andExpect(jsonPath("$.statusUrl").value("/api/jobs/" + JOB_ID));

    ArgumentCaptor<NewJob> job = ArgumentCaptor.forClass(NewJob.class);
    verify(intake).accept(job.capture());
    assertThat(job.getValue().type()).isEqualTo(JobType.SEARCH_REINDEX);
    assertThat(job.getValue().sameContent()).isEqualTo(NewJob.SameContent.REFUSED_WHILE_UNFINISHED);
    assertThat(job.getValue().content())
        .isEqualTo(new SearchReindexController.ReindexContent("vehicles"));
    assertThat(job.getValue().workflowInput().apply(JOB_ID))
        .isEqualTo(new ReindexRequest(JOB_ID.toString(), "vehicles", 0, 0, -1));
  }

  @Test
  void anUnknownMissingOrBlankScopeAndAMissingBodyAre400NamingTheScope() throws Exception {
    for (String body :
        new String[] {
          "{\"scope\": \"orders\"}", "{\"scope\": \"Vehicles\"}", "{}", "{\"scope\": \" \"}"
        }) {
      mvc.perform(post("/api/search/reindex").contentType(MediaType.APPLICATION_JSON).content(body))
          .andExpect(status().isBadRequest())
          .andExpect(header().string("Content-Type", PROBLEM_JSON.toString()))
          .andExpect(jsonPath("$.errors[0].field").value("scope"))
          .andExpect(
              jsonPath("$.errors[0].message")
                  .value(org.hamcrest.Matchers.containsString("vehicles, companies")));
    }
    mvc.perform(post("/api/search/reindex"))
        .andExpect(status().isBadRequest())
        .andExpect(header().string("Content-Type", PROBLEM_JSON.toString()))
        .andExpect(jsonPath("$.errors[0].field").value("scope"));
    verify(intake, never()).accept(any());
  }

  @Test
  void aReindexCarriesItsDelayToTheIntake() throws Exception {
    when(intake.accept(any()))
        .thenReturn(new AcceptedJob(JOB_ID, "search_reindex-" + JOB_ID, "PENDING", false));

    mvc.perform(
            post("/api/search/reindex")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"scope\": \"vehicles\", \"notBefore\": \"2026-12-02T03:00:00Z\"}"))
        .andExpect(status().isAccepted());

    ArgumentCaptor<NewJob> job = ArgumentCaptor.forClass(NewJob.class);
    verify(intake).accept(job.capture());
    assertThat(job.getValue().delay())
        .isEqualTo(new JobDelay(Instant.parse("2026-12-02T03:00:00Z"), null));
  }

  @Test
  void anUnknownFieldIs400NamingIt() throws Exception {
    mvc.perform(
            post("/api/search/reindex")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"scope\": \"vehicles\", \"index\": \"x\"}"))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.errors[0].field").value("index"));
    verify(intake, never()).accept(any());
  }

  @Test
  void aSecondReindexWhileOneIsUnfinishedIs409WithTheRunningJobsId() throws Exception {
    UUID running = UUID.randomUUID();
    when(intake.accept(any()))
        .thenThrow(
            new ApiProblem(
                HttpStatus.CONFLICT,
                "Another job is running",
                "The same search_reindex job is already unfinished.",
                Map.of("jobId", running)));

    mvc.perform(
            post("/api/search/reindex")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"scope\": \"companies\"}"))
        .andExpect(status().isConflict())
        .andExpect(header().string("Content-Type", PROBLEM_JSON.toString()))
        .andExpect(jsonPath("$.jobId").value(running.toString()));
  }
}
