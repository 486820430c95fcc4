package com.marketplace.jobs.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.temporal.client.WorkflowClient;
import java.sql.Connection;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ledger follows Temporal's close status when the workflow cannot write it itself: a ban an
 * operator terminates ends FAILED with TERMINATED (and no longer blocks the company's next
 * moderation job), and a started job whose workflow Temporal does not have ends FAILED with
 * WORKFLOW_NOT_FOUND. The test stack runs the reconciler every 5 s on rows unchanged for 10 s.
 */
class LedgerReconcileIT extends StackTest {

  private static final long COMPANY = 921;

  private final LargeCompany company = LargeCompany.of(COMPANY, 100);

  @BeforeEach
  void seedACompanyOnTheMarketplaceAndInTheIndex() {
    company.create(stack, sql);
  }

  @AfterEach
  void removeTheCompany() {
    stack.mail().failAlways(0);
    company.delete(stack, sql);
  }

  @Test
  void aBanTerminatedByAnOperatorEndsFailedTerminatedAndTheCompanyCanBeUnbannedAgain()
      throws Exception {
    String job;
    long terminatedAt;
    // A row lock on one of the company's vehicles holds the ban in its unpublish step (each batch
    // waits up to 10 s for it, then the attempt is retried), so the workflow is running.
    try (Connection holder = stack.database().dataSource().getConnection()) {
      holder.setAutoCommit(false);
      holder
          .createStatement()
          .execute(
              "SELECT id FROM vehicles WHERE id = " + company.vehicleIds().get(0) + " FOR UPDATE");
      JsonNode accepted =
          api.post(
                  "/api/companies/" + COMPANY + "/ban",
                  BanReasons.body("Reconcile test of a terminated ban"))
              .json();
      job = accepted.path("jobId").asText();
      String workflowId = accepted.path("workflowId").asText();
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () ->
                  sql.count(
                          "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                              + " AND query LIKE '%UPDATE vehicles%'")
                      > 0);

      WorkflowClient temporal = temporalClient();
      try {
        temporal.newUntypedWorkflowStub(workflowId).terminate("Stuck ban, stopped by the operator");
        terminatedAt = System.nanoTime();
      } finally {
        temporal.getWorkflowServiceStubs().shutdown();
      }
      holder.rollback();
    }
    assertThat(api.post("/api/companies/" + COMPANY + "/unban", "").status())
        .as("refused while the ledger still has the ban unfinished")
        .isEqualTo(409);

    JsonNode ended = awaitFinished(job, Duration.ofSeconds(60));
    System.out.printf(
        "LedgerReconcileIT: FAILED %d ms after the terminate%n",
        (System.nanoTime() - terminatedAt) / 1_000_000);

    assertThat(ended.path("status").asText()).as(ended.toString()).isEqualTo("FAILED");
    assertThat(ended.path("resolution").asText()).isEqualTo("UNRESOLVED");
    assertThat(ended.path("lastError").path("type").asText()).isEqualTo("TERMINATED");
    assertThat(ended.path("lastError").path("message").asText())
        .isEqualTo("Terminated in Temporal: Stuck ban, stopped by the operator");
    // Terminated before it committed: no notice was asked for.
    assertThat(sql.count("SELECT count(*) FROM jobs WHERE parent_job_id = ?::uuid", job)).isZero();

    JsonHttp.Response unban = api.post("/api/companies/" + COMPANY + "/unban", "");
    assertThat(unban.status()).as(unban.body()).isEqualTo(202);
    JsonNode unbanned = awaitFinished(unban.json().path("jobId").asText(), Duration.ofSeconds(60));
    assertThat(unbanned.path("status").asText()).as(unbanned.toString()).isEqualTo("COMPLETED");
    assertThat(
            sql.count("SELECT count(*) FROM companies WHERE id = ? AND status = 'ACTIVE'", COMPANY))
        .isEqualTo(1);
  }

  @Test
  void aStartedJobWhoseWorkflowTemporalDoesNotHaveEndsFailedWorkflowNotFound() {
    String jobId = UUID.randomUUID().toString();
    // As the ledger would look after Temporal lost the workflow (past retention, or an in-memory
    // dev server restarted): started, PROCESSING, nothing written for a minute.
    sql.update(
        """
        INSERT INTO jobs (id, type, status, priority, workflow_id, workflow_type, task_queue,
                          payload, content_hash, tenant_id, run_id, attempts,
                          workflow_started_at, started_at, updated_at)
        VALUES (?::uuid, 'notification', 'PROCESSING', 2, ?, 'NotificationWorkflow',
                'background-jobs', '{}'::jsonb, ?, 1, 'lost-run', 1,
                now() - interval '1 minute', now() - interval '1 minute',
                now() - interval '1 minute')
        """,
        jobId,
        "notification-" + jobId,
        "reconcile-" + jobId);

    JsonNode ended = awaitFinished(jobId, Duration.ofSeconds(60));

    assertThat(ended.path("status").asText()).as(ended.toString()).isEqualTo("FAILED");
    assertThat(ended.path("lastError").path("type").asText()).isEqualTo("WORKFLOW_NOT_FOUND");
    assertThat(ended.path("lastError").path("message").asText())
        .startsWith("Temporal has no workflow notification-" + jobId);
  }
}
