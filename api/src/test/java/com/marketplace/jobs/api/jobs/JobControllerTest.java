package com.marketplace.jobs.api.jobs;

import static org.hamcrest.Matchers.hasSize;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.marketplace.jobs.api.testsupport.TrustedCaller;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

@Import(TrustedCaller.class)
@WebMvcTest(JobController.class)
class JobControllerTest {

  private static final String PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON.toString();
  private static final OffsetDateTime CREATED = OffsetDateTime.parse("2026-03-01T10:15:30Z");

  @Autowired private MockMvc mvc;

  @MockitoBean private JobQueries queries;

  private static JobView completed(UUID id) {
    return new JobView(
        id,
        "notification",
        "COMPLETED",
        "CUSTOMER_FACING",
        "notification-" + id,
        "run-1",
        1,
        CREATED,
        CREATED.plusSeconds(1),
        CREATED.plusSeconds(2),
        null,
        null,
        null,
        JobLinks.statusPath(id),
        null,
        null);
  }

  private static JobView failed(UUID id) {
    return new JobView(
        id,
        "notification",
        "FAILED",
        "CUSTOMER_FACING",
        "notification-" + id,
        "run-2",
        4,
        CREATED,
        CREATED.plusSeconds(1),
        CREATED.plusSeconds(9),
        new JobView.Progress(3, 10, "deactivate orders", List.of(100, 75)),
        new JobView.Error("PROVIDER_UNAVAILABLE", "Mailgun answered HTTP 503"),
        "UNRESOLVED",
        JobLinks.statusPath(id),
        null,
        null);
  }

  @Test
  void aFoundJobIsAnsweredAsJson() throws Exception {
    UUID id = UUID.randomUUID();
    when(queries.find(id)).thenReturn(Optional.of(completed(id)));

    mvc.perform(get("/api/jobs/{jobId}", id))
        .andExpect(status().isOk())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
        .andExpect(jsonPath("$.jobId").value(id.toString()))
        .andExpect(jsonPath("$.type").value("notification"))
        .andExpect(jsonPath("$.status").value("COMPLETED"))
        .andExpect(jsonPath("$.priority").value("CUSTOMER_FACING"))
        .andExpect(jsonPath("$.workflowId").value("notification-" + id))
        .andExpect(jsonPath("$.runId").value("run-1"))
        .andExpect(jsonPath("$.attempts").value(1))
        .andExpect(jsonPath("$.createdAt").value("2026-03-01T10:15:30Z"))
        .andExpect(jsonPath("$.finishedAt").value("2026-03-01T10:15:32Z"))
        .andExpect(jsonPath("$.statusUrl").value("/api/jobs/" + id))
        // Absent, not null, for a job without progress, error or resolution.
        .andExpect(jsonPath("$.progress").doesNotExist())
        .andExpect(jsonPath("$.lastError").doesNotExist())
        .andExpect(jsonPath("$.resolution").doesNotExist());
  }

  @Test
  void aFailedJobShowsItsErrorProgressAndResolution() throws Exception {
    UUID id = UUID.randomUUID();
    when(queries.find(id)).thenReturn(Optional.of(failed(id)));

    mvc.perform(get("/api/jobs/{jobId}", id))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.status").value("FAILED"))
        .andExpect(jsonPath("$.attempts").value(4))
        .andExpect(jsonPath("$.progress.completed").value(3))
        .andExpect(jsonPath("$.progress.total").value(10))
        .andExpect(jsonPath("$.lastError.type").value("PROVIDER_UNAVAILABLE"))
        .andExpect(jsonPath("$.lastError.message").value("Mailgun answered HTTP 503"))
        .andExpect(jsonPath("$.resolution").value("UNRESOLVED"));
  }

  @Test
  void anUnknownJobIs404() throws Exception {
    UUID id = UUID.randomUUID();
    when(queries.find(id)).thenReturn(Optional.empty());

    mvc.perform(get("/api/jobs/{jobId}", id))
        .andExpect(status().isNotFound())
        .andExpect(header().string("Content-Type", PROBLEM_JSON))
        .andExpect(jsonPath("$.status").value(404))
        .andExpect(jsonPath("$.title").value("Not found"))
        .andExpect(jsonPath("$.detail").value("No job with id " + id + "."));
  }

  @Test
  void aJobIdThatIsNoUuidIs400() throws Exception {
    mvc.perform(get("/api/jobs/{jobId}", "not-a-uuid"))
        .andExpect(status().isBadRequest())
        .andExpect(header().string("Content-Type", PROBLEM_JSON))
        .andExpect(jsonPath("$.status").value(400))
        .andExpect(jsonPath("$.detail").value("jobId must be a job id (a UUID)."));

    verifyNoInteractions(queries);
  }

  @Test
  void listsWithTheDefaultLimitAndNoNextPageWhenThePageIsNotFull() throws Exception {
    UUID id = UUID.randomUUID();
    when(queries.list(null, null, JobController.DEFAULT_LIMIT, null, null))
        .thenReturn(List.of(completed(id)));

    mvc.perform(get("/api/jobs"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.jobs", hasSize(1)))
        .andExpect(jsonPath("$.jobs[0].jobId").value(id.toString()))
        .andExpect(jsonPath("$.nextBefore").doesNotExist());
  }

  @Test
  void aFullPageNamesTheLastJobAsNextBefore() throws Exception {
    List<UUID> ids = IntStream.range(0, 3).mapToObj(i -> UUID.randomUUID()).toList();
    when(queries.list(JobStatus.FAILED, "notification", 3, null, null))
        .thenReturn(ids.stream().map(JobControllerTest::failed).toList());

    mvc.perform(
            get("/api/jobs")
                .param("status", "FAILED")
                .param("type", "notification")
                .param("limit", "3"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.jobs", hasSize(3)))
        .andExpect(jsonPath("$.jobs[0].jobId").value(ids.get(0).toString()))
        .andExpect(jsonPath("$.nextBefore").value(ids.get(2).toString()));
  }

  @Test
  void beforeIsAJobIdOrATimestamp() throws Exception {
    UUID before = UUID.randomUUID();
    when(queries.find(before)).thenReturn(java.util.Optional.of(completed(before)));
    when(queries.list(any(), any(), anyInt(), any(), any())).thenReturn(List.of());

    mvc.perform(get("/api/jobs").param("before", before.toString()))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.jobs", hasSize(0)));
    verify(queries).list(isNull(), isNull(), eq(50), eq(before), isNull());

    mvc.perform(get("/api/jobs").param("before", "2026-03-01T10:15:30Z"))
        .andExpect(status().isOk());
    verify(queries).list(isNull(), isNull(), eq(50), isNull(), eq(CREATED));
  }

  @Test
  void aBeforeNamingNoJobIs400() throws Exception {
    UUID unknown = UUID.randomUUID();
    when(queries.find(unknown)).thenReturn(java.util.Optional.empty());

    mvc.perform(get("/api/jobs").param("before", unknown.toString()))
        .andExpect(status().isBadRequest())
        .andExpect(header().string("Content-Type", PROBLEM_JSON))
        .andExpect(
            jsonPath("$.detail")
                .value(
                    "before must be the id of an existing job (the nextBefore of a previous page)."));
  }

  @Test
  void aBeforeThatIsNeitherIs400() throws Exception {
    mvc.perform(get("/api/jobs").param("before", "yesterday"))
        .andExpect(status().isBadRequest())
        .andExpect(header().string("Content-Type", PROBLEM_JSON))
        .andExpect(
            jsonPath("$.detail")
                .value("before must be a job id (a UUID) or an ISO-8601 timestamp."));

    verifyNoInteractions(queries);
  }

  @Test
  void anUnknownStatusIs400() throws Exception {
    mvc.perform(get("/api/jobs").param("status", "DONE"))
        .andExpect(status().isBadRequest())
        .andExpect(header().string("Content-Type", PROBLEM_JSON))
        .andExpect(
            jsonPath("$.detail")
                .value("status must be one of PENDING, PROCESSING, COMPLETED, FAILED."));

    verifyNoInteractions(queries);
  }

  @Test
  void anUnknownTypeIs400() throws Exception {
    mvc.perform(get("/api/jobs").param("type", "fax"))
        .andExpect(status().isBadRequest())
        .andExpect(header().string("Content-Type", PROBLEM_JSON))
        .andExpect(
            jsonPath("$.detail")
                .value(
                    "type must be one of notification, company_notice, company_ban, company_unban,"
                        + " marketplace_toggle, payment_event, search_reindex,"
                        + " marketplace_event, schedule_runs_retention."));

    verifyNoInteractions(queries);
  }

  @Test
  void aLimitOutOfRangeIs400() throws Exception {
    for (String limit : List.of("0", "501", "-1")) {
      mvc.perform(get("/api/jobs").param("limit", limit))
          .andExpect(status().isBadRequest())
          .andExpect(header().string("Content-Type", PROBLEM_JSON))
          .andExpect(jsonPath("$.detail").value("limit must be between 1 and 500."));
    }

    verifyNoInteractions(queries);
  }

  @Test
  void aLimitThatIsNoNumberIs400NamingIt() throws Exception {
    mvc.perform(get("/api/jobs").param("limit", "ten"))
        .andExpect(status().isBadRequest())
        .andExpect(header().string("Content-Type", PROBLEM_JSON))
        .andExpect(jsonPath("$.errors", hasSize(1)))
        .andExpect(jsonPath("$.errors[0].field").value("limit"))
        .andExpect(jsonPath("$.errors[0].message").value("must be an integer"));

    verifyNoInteractions(queries);
  }

  @Test
  void statsListEveryStatusByStatusAndByType() throws Exception {
    Map<String, Long> byStatus = new LinkedHashMap<>();
    byStatus.put("PENDING", 1L);
    byStatus.put("PROCESSING", 0L);
    byStatus.put("COMPLETED", 5L);
    byStatus.put("FAILED", 2L);
    when(queries.stats()).thenReturn(new JobStats(8, byStatus, Map.of("notification", byStatus)));

    mvc.perform(get("/api/jobs/stats"))
        .andExpect(status().isOk())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
        .andExpect(jsonPath("$.total").value(8))
        .andExpect(jsonPath("$.byStatus.PENDING").value(1))
        .andExpect(jsonPath("$.byStatus.PROCESSING").value(0))
        .andExpect(jsonPath("$.byStatus.COMPLETED").value(5))
        .andExpect(jsonPath("$.byStatus.FAILED").value(2))
        .andExpect(jsonPath("$.byType.notification.COMPLETED").value(5))
        .andExpect(jsonPath("$.byType.notification.PROCESSING").value(0));
  }
}
