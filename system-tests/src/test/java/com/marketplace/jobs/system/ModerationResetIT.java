package com.marketplace.jobs.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@code temporal workflow reset} (docs/operations.md's retry) of a ban or a toggle that completed,
 * rolled back, or whose rollback was incomplete, from the start or from the middle: the company,
 * its vehicles, orders, search documents and listings end in one consistent state, fully applied,
 * never a mixture. Demo company 201 (tenant 2, on the marketplace: 15 vehicles listed), 202 (5
 * vehicles, off the marketplace); tenant 1 (company 101: 225 listings).
 */
class ModerationResetIT extends StackTest {

  @Test
  void aCompletedBanResetFromTheStartEndsFullyAppliedWithOneNotice() throws Exception {
    Snapshot before = snapshot(202);
    JsonNode ban =
        finished(
            api.post("/api/companies/202/ban", BanReasons.body("Reset test of a completed ban")));
    assertThat(ban.path("status").asText()).isEqualTo("COMPLETED");
    String jobId = ban.path("jobId").asText();
    awaitFollowUpFinished(jobId);

    JsonNode again = reset(ban, "--type", "FirstWorkflowTask");

    assertThat(again.path("status").asText()).isEqualTo("COMPLETED");
    assertFullyBanned(202);
    assertThat(sql.count("SELECT count(*) FROM jobs WHERE parent_job_id = ?::uuid", jobId))
        .isEqualTo(1);
    unbanAndCheck(202, before);
  }

  @Test
  void aRolledBackBanResetFromTheStartEndsFullyApplied() throws Exception {
    Snapshot before = snapshot(201);
    JsonNode failed = rolledBackBanOf201();

    JsonNode again = reset(failed, "--type", "FirstWorkflowTask");

    assertThat(again.path("status").asText()).as(again.toString()).isEqualTo("COMPLETED");
    assertFullyBanned(201);
    assertThat(stack.marketplace().listed(201)).isEmpty();
    unbanAndCheck(201, before);
    assertThat(stack.marketplace().listed(201)).hasSize(15);
  }

  @Test
  void aRolledBackBanResetToJustAfterItsVehiclesWereUnpublishedEndsFullyApplied() throws Exception {
    Snapshot before = snapshot(201);
    JsonNode failed = rolledBackBanOf201();
    // The rollback republished the vehicles; the steps before this point are not run again.
    long afterUnpublish =
        workflowTaskCompletedAfter(failed.path("workflowId").asText(), "UnpublishVehicles");

    JsonNode again = reset(failed, "--event-id", Long.toString(afterUnpublish));

    assertThat(again.path("status").asText()).as(again.toString()).isEqualTo("COMPLETED");
    assertFullyBanned(201);
    assertThat(stack.marketplace().listed(201)).isEmpty();
    unbanAndCheck(201, before);
    assertThat(stack.marketplace().listed(201)).hasSize(15);
  }

  @Test
  void aToggleWhoseRollbackWasIncompleteResetFromTheStartEndsFullyApplied() throws Exception {
    Map<String, Boolean> flagsBefore = flags(1);
    List<Long> listedBefore = stack.marketplace().listed(101);
    // Two withdraw calls pass, the third is refused; re-listing the 200 withdrawn is refused too.
    stack.marketplace().failNext(2, 0);
    stack.marketplace().failAlways(400);
    JsonNode failed;
    try {
      failed = finished(api.post("/api/tenants/1/marketplace", "{\"enabled\": false}"));
    } finally {
      stack.marketplace().failAlways(0);
    }
    assertThat(failed.path("lastError").path("type").asText()).isEqualTo("ROLLBACK_INCOMPLETE");
    assertThat(stack.marketplace().listed(101)).hasSize(25);

    JsonNode again = reset(failed, "--type", "FirstWorkflowTask");

    try {
      assertThat(again.path("status").asText()).as(again.toString()).isEqualTo("COMPLETED");
      assertThat(flags(1)).doesNotContainValue(true);
      assertThat(stack.marketplace().listed(101)).isEmpty();
    } finally {
      // Back to the demo state for the other tests.
      flagsBefore.forEach(
          (name, on) -> {
            String[] parts = name.split(" ");
            String table = parts[0].equals("company") ? "companies" : "vehicle_models";
            sql.update(
                "UPDATE " + table + " SET marketplace_enabled = ? WHERE id = ?",
                on,
                Long.parseLong(parts[1]));
          });
      stack.marketplace().seed(101, listedBefore);
    }
  }

  /** Bans company 201 while the marketplace refuses every call: the ban is rolled back. */
  private JsonNode rolledBackBanOf201() {
    Snapshot before = snapshot(201);
    stack.marketplace().failAlways(400);
    JsonNode failed;
    try {
      failed =
          finished(
              api.post(
                  "/api/companies/201/ban", BanReasons.body("Reset test of a rolled-back ban")));
    } finally {
      stack.marketplace().failAlways(0);
    }
    assertThat(failed.path("lastError").path("type").asText()).isEqualTo("ROLLED_BACK");
    assertThat(snapshot(201)).isEqualTo(before);
    return failed;
  }

  private JsonNode finished(JsonHttp.Response accepted) {
    assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
    return awaitFinished(accepted.json().path("jobId").asText(), Duration.ofSeconds(90));
  }

  /**
   * Resets the job's workflow with the CLI, as docs/operations.md says, and waits until the new run
   * has finished (the ledger follows it).
   */
  private JsonNode reset(JsonNode job, String... point) throws Exception {
    String[] args = new String[6 + point.length];
    args[0] = "workflow";
    args[1] = "reset";
    args[2] = "--workflow-id";
    args[3] = job.path("workflowId").asText();
    args[4] = "--reason";
    args[5] = "operator retry";
    System.arraycopy(point, 0, args, 6, point.length);
    cli(args);
    String oldRun = job.path("runId").asText();
    JsonNode[] latest = new JsonNode[1];
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> {
              latest[0] = api.get("/api/jobs/" + job.path("jobId").asText()).json();
              return !latest[0].path("runId").asText().equals(oldRun)
                  && FINISHED.contains(latest[0].path("status").asText());
            });
    return latest[0];
  }

  /** The id of the first WorkflowTaskCompleted event after the activity of this type completed. */
  private long workflowTaskCompletedAfter(String workflowId, String activityType) {
    List<HistoryEvent> events = temporalClient().fetchHistory(workflowId).getEvents();
    Map<Long, String> scheduled = new TreeMap<>();
    boolean completed = false;
    for (HistoryEvent event : events) {
      if (event.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) {
        scheduled.put(
            event.getEventId(),
            event.getActivityTaskScheduledEventAttributes().getActivityType().getName());
      } else if (event.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED
          && activityType.equals(
              scheduled.get(
                  event.getActivityTaskCompletedEventAttributes().getScheduledEventId()))) {
        completed = true;
      } else if (completed
          && event.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) {
        return event.getEventId();
      }
    }
    throw new AssertionError(activityType + " never completed in " + workflowId);
  }

  private void assertFullyBanned(long company) {
    Snapshot now = snapshot(company);
    assertThat(now.status()).isEqualTo("BANNED");
    assertThat(now.vehicles()).doesNotContainValue(true);
    assertThat(now.orders().values()).doesNotContain("ACTIVE");
    assertThat(indexed(company)).isEmpty();
  }

  private void unbanAndCheck(long company, Snapshot before) {
    JsonNode unban = finished(api.post("/api/companies/" + company + "/unban", ""));
    assertThat(unban.path("status").asText()).as(unban.toString()).isEqualTo("COMPLETED");
    assertThat(snapshot(company)).isEqualTo(before);
  }
}
