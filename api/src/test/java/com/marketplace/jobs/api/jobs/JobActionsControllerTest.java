package com.marketplace.jobs.api.jobs;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.marketplace.jobs.api.problems.ApiProblem;
import com.marketplace.jobs.api.testsupport.TrustedCaller;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/** The retry and resolve endpoints' web layer: answers, refusals, named field errors. */
@WebMvcTest(JobActionsController.class)
@Import(TrustedCaller.class)
class JobActionsControllerTest {

  @Autowired private MockMvc mvc;
  @MockitoBean private JobRetries retries;

  private final UUID jobId = UUID.randomUUID();

  @Test
  void aRetryAnswers202WithTheNewRun() throws Exception {
    when(retries.retry(eq(jobId), any()))
        .thenReturn(new JobRetries.Retried(jobId, "notification-" + jobId, "run-2"));

    mvc.perform(post("/api/jobs/" + jobId + "/retry"))
        .andExpect(status().isAccepted())
        .andExpect(jsonPath("$.jobId").value(jobId.toString()))
        .andExpect(jsonPath("$.status").value("PROCESSING"))
        .andExpect(jsonPath("$.runId").value("run-2"))
        .andExpect(jsonPath("$.statusUrl").value("/api/jobs/" + jobId));
  }

  @Test
  void aJobThatIsNotFailedIsAConflict() throws Exception {
    when(retries.retry(eq(jobId), any()))
        .thenThrow(
            new ApiProblem(
                HttpStatus.CONFLICT, "Job is not failed", "Only a failed job can be retried."));

    mvc.perform(post("/api/jobs/" + jobId + "/retry"))
        .andExpect(status().isConflict())
        .andExpect(jsonPath("$.title").value("Job is not failed"));
  }

  @Test
  void aBulkRetryReportsWhatItDidAndWhatItCouldNot() throws Exception {
    UUID other = UUID.randomUUID();
    when(retries.retryAll(eq("notification"), eq(StatsPeriod.DAY), any()))
        .thenReturn(
            new JobRetries.BulkResult(
                2,
                List.of(new JobRetries.Retried(jobId, "notification-" + jobId, "run-2")),
                List.of(new JobRetries.NotRetried(other, "Job " + other + " never started.")),
                0));

    mvc.perform(
            post("/api/jobs/retry")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"type\": \"notification\", \"period\": \"24h\"}"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.matched").value(2))
        .andExpect(jsonPath("$.retried").value(1))
        .andExpect(jsonPath("$.retriedJobs[0].jobId").value(jobId.toString()))
        .andExpect(jsonPath("$.notRetried[0].jobId").value(other.toString()))
        .andExpect(jsonPath("$.notRetried[0].reason").value("Job " + other + " never started."));
  }

  @Test
  void aBulkRetryOfAnUnknownTypeOrPeriodIsRefusedBeforeAnything() throws Exception {
    mvc.perform(
            post("/api/jobs/retry")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"type\": \"fax\"}"))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.errors[0].field").value("type"));
    mvc.perform(
            post("/api/jobs/retry")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"period\": \"forever\"}"))
        .andExpect(status().isBadRequest());

    verifyNoInteractions(retries);
  }

  @Test
  void aResolutionNeedsAShortEnoughComment() throws Exception {
    mvc.perform(
            post("/api/jobs/" + jobId + "/resolve")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"comment\": \"  \"}"))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.errors[0].field").value("comment"));
    mvc.perform(
            post("/api/jobs/" + jobId + "/resolve")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"comment\": \"" + "x".repeat(1001) + "\"}"))
        .andExpect(status().isBadRequest());
    mvc.perform(post("/api/jobs/not-a-uuid/resolve")).andExpect(status().isBadRequest());

    verifyNoInteractions(retries);
  }

  @Test
  void aResolutionIsRecordedWithItsComment() throws Exception {
    mvc.perform(
            post("/api/jobs/" + jobId + "/resolve")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"comment\": \"refunded by hand in Stripe\"}"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.resolution").value("RESOLVED"));

    org.mockito.Mockito.verify(retries).resolve(eq(jobId), eq("refunded by hand in Stripe"), any());
  }
}
