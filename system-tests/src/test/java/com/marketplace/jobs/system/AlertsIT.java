package com.marketplace.jobs.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.marketplace.jobs.devstack.AlertWebhookSink;
import com.marketplace.jobs.devstack.LocalStack;
import com.marketplace.jobs.devstack.MailgunSink;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionExecution;
import io.temporal.client.schedules.ScheduleActionExecutionStartWorkflow;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
import io.temporal.client.schedules.ScheduleHandle;
import io.temporal.client.schedules.ScheduleUpdate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Operations alerts through the running service: the {@code ops-alerts} schedule (paused on the
 * test stack) is triggered through the api as an operator would, and what arrives at the Mailgun
 * sink (the operations address) and the fake webhook is checked: one email and one post per job and
 * condition, however many checks see it, and a failing webhook retried without touching the job it
 * reports.
 */
class AlertsIT extends StackTest {

  private AlertWebhookSink webhook;

  @BeforeEach
  void resetWebhook() {
    webhook = stack.alertWebhook();
    // Alerts owed for earlier tests' failures go out with the first check: send them now, so this
    // test's checks are about its own jobs.
    check();
    webhook.reset();
    stack.mail().reset();
  }

  /** One run of the alerts check, triggered through the api, to its end. */
  private void check() {
    long before = finishedChecks();
    // A triggered run's workflow id carries the trigger's second: one trigger per second.
    sleep(Duration.ofMillis(1100));
    JsonHttp.Response triggered = api.post("/api/schedules/ops-alerts/trigger", "");
    assertThat(triggered.status()).as(triggered.body()).isEqualTo(202);
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> finishedChecks() > before);
  }

  private long finishedChecks() {
    return sql.count(
        "SELECT count(*) FROM jobs WHERE type = 'ops_alerts' AND status IN ('COMPLETED', 'FAILED')");
  }

  private List<MailgunSink.Received> opsEmailsAbout(String jobId) {
    return stack.mail().accepted().stream()
        .filter(email -> LocalStack.OPS_ALERTS_EMAIL.equals(email.form().get("to")))
        .filter(email -> email.form().get("text").contains(jobId))
        .toList();
  }

  /** A notification job that fails all four attempts (Mailgun answering 503), to its end. */
  private String failedNotification() {
    stack.mail().failAlways(503);
    String jobId = api.post("/api/notifications", uniqueWelcome(42)).json().path("jobId").asText();
    JsonNode job = awaitFinished(jobId, Duration.ofSeconds(60));
    assertThat(job.path("status").asText()).isEqualTo("FAILED");
    stack.mail().failAlways(0);
    return jobId;
  }

  @Test
  void aJobThatExhaustsItsRetriesIsAlertedOnceByEmailAndWebhookOverSeveralChecks() {
    String jobId = failedNotification();

    check();
    check();
    check();

    assertThat(opsEmailsAbout(jobId))
        .singleElement()
        .satisfies(
            email -> {
              assertThat(email.form().get("subject"))
                  .isEqualTo("[ops] Job failed: notification job " + jobId);
              assertThat(email.form().get("text"))
                  .contains("failed after 4 attempts")
                  .contains("PROVIDER_UNAVAILABLE: Mailgun answered HTTP 503")
                  .contains(stack.api().url() + "/ops/jobs/" + jobId)
                  .doesNotContain("@rentals.test");
            });
    assertThat(webhook.acceptedMentioning(jobId))
        .singleElement()
        .satisfies(
            post ->
                assertThat(post.body())
                    .contains("\"text\":\"Job failed: notification job " + jobId)
                    .contains("\"blocks\"")
                    .contains(stack.api().url() + "/ops/jobs/" + jobId));
    assertThat(
            sql.count(
                "SELECT count(*) FROM ops_alerts WHERE job_id = ?::uuid"
                    + " AND email_sent_at IS NOT NULL AND webhook_sent_at IS NOT NULL",
                jobId))
        .isEqualTo(1);
  }

  @Test
  void aStuckJobIsAlertedOnce() {
    // Accepted 20 minutes ago and never handed to Temporal (the relay backing off): pending far
    // past its due time, by the default 10 minutes' grace.
    String jobId = UUID.randomUUID().toString();
    sql.update(
        """
        INSERT INTO jobs (id, type, status, priority, workflow_id, workflow_type, task_queue,
                          payload, content_hash, created_at, updated_at, relay_next_attempt_at)
        VALUES (?::uuid, 'notification', 'PENDING', 2, ?, 'NotificationWorkflow',
                'background-jobs', '{}'::jsonb, ?, now() - interval '20 minutes',
                now() - interval '20 minutes', now() + interval '1 hour')
        """,
        jobId,
        "notification-" + jobId,
        jobId);
    try {
      check();
      check();

      assertThat(opsEmailsAbout(jobId))
          .singleElement()
          .satisfies(
              email ->
                  assertThat(email.form().get("text"))
                      .contains("Job stuck")
                      .contains("pending, not started"));
      assertThat(webhook.acceptedMentioning(jobId)).hasSize(1);
    } finally {
      // Later tests start only once no job is pending.
      sql.update(
          "UPDATE jobs SET status = 'CANCELLED', finished_at = now() WHERE id = ?::uuid", jobId);
    }
  }

  @Test
  void aFailingWebhookIsRetriedAndTheJobItReportsIsUnaffected() {
    String jobId = failedNotification();
    Map<String, Object> before = jobRow(jobId);
    webhook.failNext(2, 503);

    check();

    List<AlertWebhookSink.Post> posts =
        webhook.posts().stream().filter(post -> post.body().contains(jobId)).toList();
    assertThat(posts)
        .extracting(AlertWebhookSink.Post::answeredStatus)
        .containsExactly(503, 503, 200);
    assertThat(opsEmailsAbout(jobId)).hasSize(1);
    Map<String, Object> after = jobRow(jobId);
    for (String column :
        List.of(
            "status",
            "attempts",
            "last_error_type",
            "last_error_message",
            "resolution",
            "finished_at",
            "updated_at",
            "run_id")) {
      assertThat(after.get(column)).as(column).isEqualTo(before.get(column));
    }
    assertThat(
            sql.count("SELECT count(*) FROM jobs WHERE type = 'ops_alerts' AND status = 'FAILED'"))
        .isZero();
  }

  /**
   * The stack's {@link SharedStack#MISSED_RUN_PROBE} schedule (every 5 s, paused) gets its runs
   * pointed at a task queue no worker polls, as if every worker were down: none reaches the run
   * log. While it stays paused nothing is missed; once unpaused each of its times is alerted once,
   * 2 s (the stack's grace) after it, and none of the times it spent paused is, though Temporal
   * gives them as the spec's times and keeps no time of the unpause.
   */
  @Test
  void aScheduledRunThatNeverRanIsAlertedOnceAndTheTimesWhilePausedAreNot() {
    WorkflowClient client = temporalClient();
    ScheduleHandle probe =
        ScheduleClient.newInstance(
                client.getWorkflowServiceStubs(),
                ScheduleClientOptions.newBuilder()
                    .setNamespace(client.getOptions().getNamespace())
                    .setDataConverter(client.getOptions().getDataConverter())
                    .build())
            .getHandle(SharedStack.MISSED_RUN_PROBE);
    assertThat(probe.describe().getSchedule().getState().isPaused()).isTrue();
    try {
      probe.update(
          input -> {
            Schedule schedule = input.getDescription().getSchedule();
            ScheduleActionStartWorkflow action = (ScheduleActionStartWorkflow) schedule.getAction();
            return new ScheduleUpdate(
                Schedule.newBuilder(schedule)
                    .setAction(
                        ScheduleActionStartWorkflow.newBuilder(action)
                            .setOptions(
                                WorkflowOptions.newBuilder(action.getOptions())
                                    .setTaskQueue("missed-run-probe-unpolled")
                                    .build())
                            .build())
                    .build());
          });
      // Paused through at least two of its times after that update, then seen paused.
      sleep(Duration.ofSeconds(11));
      check();
      Instant seenPaused =
          ((java.sql.Timestamp)
                  sql.rows(
                          "SELECT seen_paused_at FROM schedule_pause_sightings"
                              + " WHERE schedule_id = ?",
                          SharedStack.MISSED_RUN_PROBE)
                      .get(0)
                      .get("seen_paused_at"))
              .toInstant();
      Instant unpausedAt = Instant.now();
      probe.unpause("AlertsIT: missed runs");
      // A time of the spec after the unpause, and the grace after it.
      sleep(Duration.ofSeconds(5 + 2 + 1));

      check();
      check();

      String marker = SharedStack.MISSED_RUN_PROBE + "@";
      List<String> subjects =
          stack.mail().accepted().stream()
              .filter(email -> LocalStack.OPS_ALERTS_EMAIL.equals(email.form().get("to")))
              .map(email -> email.form().get("subject"))
              .filter(subject -> subject.contains(marker))
              .toList();
      assertThat(subjects)
          .as("one email per missed time, however many checks")
          .doesNotHaveDuplicates()
          .allSatisfy(subject -> assertThat(subject).startsWith("[ops] Scheduled run missed: "));
      List<Instant> alertedTimes =
          subjects.stream()
              .map(
                  subject ->
                      Instant.parse(subject.substring(subject.indexOf(marker) + marker.length())))
              .toList();
      assertThat(alertedTimes)
          .as("the probe's runs since the unpause are missed")
          .anySatisfy(time -> assertThat(time).isAfter(unpausedAt));
      assertThat(alertedTimes)
          .as("no time the probe spent paused counts as missed")
          .allSatisfy(time -> assertThat(time).isAfterOrEqualTo(seenPaused));
      for (Instant time : alertedTimes) {
        String subject = marker + time;
        assertThat(webhook.acceptedMentioning(subject)).as(subject).hasSize(1);
        assertThat(
                sql.count(
                    "SELECT count(*) FROM ops_alerts WHERE subject = ?"
                        + " AND email_sent_at IS NOT NULL AND webhook_sent_at IS NOT NULL",
                    subject))
            .as(subject)
            .isEqualTo(1);
      }
    } finally {
      probe.pause("AlertsIT: done");
      // The runs it started wait for a worker that never comes: end them.
      for (ScheduleActionExecution running : probe.describe().getInfo().getRunningActions()) {
        if (running instanceof ScheduleActionExecutionStartWorkflow started) {
          client
              .newUntypedWorkflowStub(started.getWorkflowId())
              .terminate("AlertsIT: the missed-run probe's run");
        }
      }
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
