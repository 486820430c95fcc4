package com.marketplace.jobs.api.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.marketplace.jobs.api.intake.JobCounters;
import com.marketplace.jobs.api.testsupport.MigratedPostgres;
import com.marketplace.jobs.api.testsupport.TrustedCaller;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowServiceException;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/**
 * {@code POST /api/jobs/{id}/cancel} through HTTP on a real PostgreSQL, with Temporal answered by a
 * mock: what each kind of job becomes, what Temporal is asked, and what {@code GET /api/jobs/{id}}
 * shows afterwards.
 */
@WebMvcTest({JobCancellationController.class, JobController.class})
@Import({
  TrustedCaller.class,
  MigratedPostgres.class,
  JobCancellation.class,
  JobQueries.class,
  JobCounters.class,
  SimpleMeterRegistry.class
})
class JobCancellationControllerTest {

  private static final String PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON_VALUE;

  @Autowired private MockMvc mvc;
  @Autowired private JdbcClient jdbc;
  @Autowired private MeterRegistry meters;
  @MockitoBean private WorkflowCancellation temporal;

  @BeforeEach
  void setUp() {
    jdbc.sql("DELETE FROM jobs WHERE type = 'notification'").update();
    when(temporal.terminate(anyString(), anyString())).thenReturn(true);
    when(temporal.requestCancel(anyString())).thenReturn(true);
  }

  /**
   * A notification job: {@code status}, handed to Temporal or not, due {@code dueInSeconds} from
   * now (null: no delay).
   */
  private UUID job(String status, boolean handedToTemporal, Integer dueInSeconds) {
    UUID id = UUID.randomUUID();
    jdbc.sql(
            """
            INSERT INTO jobs (id, type, status, priority, workflow_id, workflow_type, task_queue,
                              payload, content_hash, workflow_started_at, run_id, not_before,
                              attempts, finished_at)
            VALUES (:id, 'notification', :status, 2, :workflowId, 'NotificationWorkflow',
                    'notifications', '{}'::jsonb, :hash,
                    CASE WHEN :handed THEN now() END, CASE WHEN :handed THEN 'run-1' END,
                    now() + make_interval(secs => CAST(:due AS integer)),
                    CASE WHEN :status = 'PENDING' THEN 0 ELSE 1 END,
                    CASE WHEN :status IN ('COMPLETED', 'FAILED') THEN now() END)
            """)
        .param("id", id)
        .param("status", status)
        .param("workflowId", "notification-" + id)
        .param("hash", id.toString())
        .param("handed", handedToTemporal)
        .param("due", dueInSeconds)
        .update();
    return id;
  }

  private ResultActions cancel(Object jobId) throws Exception {
    return mvc.perform(post("/api/jobs/" + jobId + "/cancel"));
  }

  private Map<String, Object> row(UUID id) {
    return jdbc.sql("SELECT * FROM jobs WHERE id = :id").param("id", id).query().singleRow();
  }

  private double cancelledCount() {
    return meters
        .get("jobs.cancelled")
        .tag("type", "notification")
        .tag("priority", "customer_facing")
        .counter()
        .count();
  }

  @Test
  void aJobTheApiCancelsBeforeItRanCountsCancelledOnceAndOneLeftToItsWorkflowIsNotCountedHere()
      throws Exception {
    double before = cancelledCount();
    UUID notHanded = job("PENDING", false, 3600);
    UUID waiting = job("PENDING", true, 3600);
    UUID running = job("PROCESSING", true, null);

    cancel(notHanded).andExpect(status().isOk());
    cancel(notHanded).andExpect(status().isOk());
    cancel(waiting).andExpect(status().isOk());
    cancel(running).andExpect(status().isAccepted());

    assertThat(cancelledCount()).isEqualTo(before + 2);
  }

  @Test
  void aJobNotYetHandedToTemporalIsCancelledAtOnceAndNeverClaimedAgain() throws Exception {
    UUID id = job("PENDING", false, 3600);

    cancel(id)
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.jobId").value(id.toString()))
        .andExpect(jsonPath("$.status").value("CANCELLED"))
        .andExpect(jsonPath("$.dueAt").exists())
        .andExpect(jsonPath("$.cancelRequestedAt").exists())
        .andExpect(jsonPath("$.startedAt").doesNotExist());

    Map<String, Object> row = row(id);
    assertThat(row.get("status")).isEqualTo("CANCELLED");
    assertThat(row.get("finished_at")).isNotNull();
    assertThat(
            jdbc.sql("SELECT relay_next_attempt_at = 'infinity' FROM jobs WHERE id = :id")
                .param("id", id)
                .query(Boolean.class)
                .single())
        .as("never claimed again")
        .isTrue();
    verifyNoInteractions(temporal);
    mvc.perform(get("/api/jobs/" + id))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.status").value("CANCELLED"));
  }

  @Test
  void aJobWaitingInTemporalForItsDueTimeIsTerminatedAndCancelledAtOnce() throws Exception {
    UUID id = job("PENDING", true, 3600);
    mvc.perform(get("/api/jobs/" + id))
        .andExpect(jsonPath("$.status").value("PENDING"))
        .andExpect(jsonPath("$.dueAt").exists());

    cancel(id).andExpect(status().isOk()).andExpect(jsonPath("$.status").value("CANCELLED"));

    verify(temporal)
        .terminate("notification-" + id, "Cancelled through the api before its due time");
    verify(temporal, never()).requestCancel(anyString());
    assertThat(row(id).get("finished_at")).isNotNull();
  }

  @Test
  void aRunningJobHasItsWorkflowAskedToCancelAndStaysUnfinishedUntilItCloses() throws Exception {
    UUID id = job("PROCESSING", true, null);

    cancel(id)
        .andExpect(status().isAccepted())
        .andExpect(jsonPath("$.status").value("PROCESSING"))
        .andExpect(jsonPath("$.cancelRequestedAt").exists());

    verify(temporal).requestCancel("notification-" + id);
    verify(temporal, never()).terminate(anyString(), anyString());
    assertThat(row(id).get("cancel_requested_at")).isNotNull();
    assertThat(row(id).get("finished_at")).isNull();
  }

  @Test
  void aJobHandedToTemporalAndDueAnyMomentIsCancelledGracefullyNotTerminated() throws Exception {
    UUID id = job("PENDING", true, 1);

    cancel(id).andExpect(status().isAccepted()).andExpect(jsonPath("$.status").value("PENDING"));

    verify(temporal).requestCancel("notification-" + id);
    verify(temporal, never()).terminate(anyString(), anyString());
  }

  @Test
  void cancellingTwiceIsHarmless() throws Exception {
    UUID waiting = job("PENDING", false, 3600);
    cancel(waiting).andExpect(status().isOk());
    String firstRequest = row(waiting).get("cancel_requested_at").toString();

    cancel(waiting).andExpect(status().isOk()).andExpect(jsonPath("$.status").value("CANCELLED"));
    assertThat(row(waiting).get("cancel_requested_at").toString()).isEqualTo(firstRequest);

    UUID running = job("PROCESSING", true, null);
    cancel(running).andExpect(status().isAccepted());
    cancel(running).andExpect(status().isAccepted());
    verify(temporal, org.mockito.Mockito.times(2)).requestCancel("notification-" + running);
  }

  @Test
  void aFinishedJobIs409AndAnUnknownOne404AndAMalformedId400() throws Exception {
    for (String finished : new String[] {"COMPLETED", "FAILED"}) {
      UUID id = job(finished, true, null);
      cancel(id)
          .andExpect(status().isConflict())
          .andExpect(header().string("Content-Type", PROBLEM_JSON))
          .andExpect(jsonPath("$.jobStatus").value(finished));
      assertThat(row(id).get("status")).isEqualTo(finished);
      assertThat(row(id).get("cancel_requested_at")).isNull();
    }
    cancel(UUID.randomUUID())
        .andExpect(status().isNotFound())
        .andExpect(header().string("Content-Type", PROBLEM_JSON));
    cancel("not-a-uuid")
        .andExpect(status().isBadRequest())
        .andExpect(header().string("Content-Type", PROBLEM_JSON));
    verifyNoInteractions(temporal);
  }

  @Test
  void temporalUnreachableIs503AndTheRequestStaysRecordedForTheNextTry() throws Exception {
    UUID id = job("PROCESSING", true, null);
    when(temporal.requestCancel(anyString()))
        .thenThrow(
            new WorkflowServiceException(
                WorkflowExecution.newBuilder().setWorkflowId("notification-" + id).build(),
                "NotificationWorkflow",
                io.grpc.Status.UNAVAILABLE.asRuntimeException()));

    cancel(id)
        .andExpect(status().isServiceUnavailable())
        .andExpect(header().string("Content-Type", PROBLEM_JSON));

    assertThat(row(id).get("cancel_requested_at")).isNotNull();
    assertThat(row(id).get("status")).isEqualTo("PROCESSING");
  }
}
