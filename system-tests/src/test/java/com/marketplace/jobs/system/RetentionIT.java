package com.marketplace.jobs.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import java.time.Duration;
import java.time.LocalDate;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The ledger's retention on the real stack: the namespace keeps closed workflows 24 hours, and a
 * run of the {@code job-retention} schedule, triggered through the api, removes an old completed
 * job with its email record, keeps an old unresolved failure, and leaves the day's figures in the
 * reliability report.
 */
class RetentionIT extends StackTest {

  private UUID oldJob(String status) {
    UUID id = UUID.randomUUID();
    sql.update(
        """
        INSERT INTO jobs (id, type, status, priority, workflow_id, workflow_type, task_queue,
                          payload, content_hash, created_at, workflow_started_at, started_at,
                          finished_at, resolution, last_error_type)
        VALUES (?, 'notification', ?, 2, ?, 'NotificationWorkflow', 'background-jobs', '{}', ?,
                now() - interval '100 days', now() - interval '100 days',
                now() - interval '100 days', now() - interval '100 days',
                CASE WHEN ? = 'FAILED' THEN 'UNRESOLVED' END,
                CASE WHEN ? = 'FAILED' THEN 'MAILGUN_REJECTED' END)
        """,
        id,
        status,
        "notification-" + id,
        id.toString(),
        status,
        status);
    return id;
  }

  @Test
  void theNamespaceKeepsClosedWorkflowsADay() {
    var config =
        temporalClient()
            .getWorkflowServiceStubs()
            .blockingStub()
            .describeNamespace(
                DescribeNamespaceRequest.newBuilder().setNamespace("default").build())
            .getConfig();

    assertThat(Duration.ofSeconds(config.getWorkflowExecutionRetentionTtl().getSeconds()))
        .isEqualTo(Duration.ofHours(24));
  }

  @Test
  void aRetentionRunRemovesOldCompletedJobsKeepsUnresolvedFailuresAndTheirFigures() {
    UUID completed = oldJob("COMPLETED");
    UUID failed = oldJob("FAILED");
    sql.update(
        "INSERT INTO email_deliveries (job_id, customer_id, template, provider_message_id)"
            + " VALUES (?, 1, 'welcome', 'retention-it')",
        completed);
    LocalDate day =
        LocalDate.parse(
            (String)
                sql.rows(
                        "SELECT to_char((created_at AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS day"
                            + " FROM jobs WHERE id = ?",
                        completed)
                    .get(0)
                    .get("day"));
    try {
      assertThat(api.post("/api/schedules/job-retention/trigger", "").status()).isEqualTo(202);

      await()
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> sql.count("SELECT count(*) FROM jobs WHERE id = ?", completed) == 0);
      assertThat(sql.count("SELECT count(*) FROM email_deliveries WHERE job_id = ?", completed))
          .isZero();
      assertThat(sql.count("SELECT count(*) FROM jobs WHERE id = ?", failed)).isEqualTo(1);
      JsonNode report = api.get("/api/reports/reliability?from=" + day + "&to=" + day).json();
      assertThat(report.path("overall").path("accepted").asLong()).isEqualTo(2);
      assertThat(report.path("overall").path("completed").asLong()).isEqualTo(1);
      assertThat(report.path("overall").path("successRate").asDouble()).isEqualTo(0.5);
    } finally {
      sql.update("DELETE FROM jobs WHERE id = ?", failed);
      sql.update("DELETE FROM job_daily_rollups WHERE day = ?", day);
    }
  }
}
