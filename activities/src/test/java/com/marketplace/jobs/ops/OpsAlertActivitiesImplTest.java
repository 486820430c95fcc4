package com.marketplace.jobs.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marketplace.jobs.devstack.AlertWebhookSink;
import com.marketplace.jobs.devstack.MailgunSink;
import com.marketplace.jobs.devstack.Ports;
import com.marketplace.jobs.notifications.MailSender;
import com.marketplace.jobs.notifications.MailgunProperties;
import com.marketplace.jobs.notifications.TestMailers;
import com.marketplace.jobs.testsupport.MigratedPostgres;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.failure.ApplicationFailure;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The alerts' activities over a real, migrated PostgreSQL, the Mailgun sink and the fake webhook:
 * what the operations address and the webhook receive for a failed job and a stuck one, that a
 * condition seen by many checks is sent once per channel, and that nothing personal goes out.
 */
class OpsAlertActivitiesImplTest {

  private static MigratedPostgres postgres;
  private static JdbcClient jdbc;
  private static MailgunSink mail;
  private static AlertWebhookSink webhook;

  private final List<AlertCandidate> conditions = new ArrayList<>();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private OpsAlertActivitiesImpl activities;

  @BeforeAll
  static void start() {
    postgres = MigratedPostgres.start();
    jdbc = postgres.jdbc();
    mail = new MailgunSink("mg.alerts.test", "alerts-key").start(Ports.free());
    webhook = new AlertWebhookSink().start(Ports.free());
  }

  @AfterAll
  static void stop() throws Exception {
    webhook.close();
    mail.close();
    postgres.close();
  }

  @BeforeEach
  void clean() {
    jdbc.sql("DELETE FROM ops_alerts").update();
    jdbc.sql("DELETE FROM jobs").update();
    mail.reset();
    webhook.reset();
    AlertsProperties properties =
        new AlertsProperties(
            "ops@alerts.test",
            webhook.url(),
            "https://jobs.example.test/",
            Duration.ofHours(1),
            Duration.ofMinutes(5),
            Duration.ofSeconds(2));
    MailgunProperties mailgun =
        new MailgunProperties(
            URI.create(mail.baseUrl()),
            mail.domain(),
            mail.apiKey(),
            "Jobs <no-reply@" + mail.domain() + ">",
            Duration.ofSeconds(1),
            Duration.ofSeconds(1),
            Duration.ofMillis(500),
            Duration.ofSeconds(2),
            Duration.ofMillis(200));
    activities =
        new OpsAlertActivitiesImpl(
            jdbc,
            () -> List.copyOf(conditions),
            properties,
            TestMailers.staffMailer((MailSender) TestMailers.mailgun(mailgun, jdbc)),
            new AlertWebhook(properties),
            meters);
  }

  private static UUID failedJob(String runId, String errorMessage) {
    UUID id = UUID.randomUUID();
    jdbc.sql(
            """
            INSERT INTO jobs (id, type, status, priority, workflow_id, workflow_type, task_queue,
                              payload, content_hash, run_id, attempts, finished_at,
                              last_error_type, last_error_message, resolution)
            VALUES (:id, 'notification', 'FAILED', 2, :workflowId, 'NotificationWorkflow',
                    'background-jobs', '{}'::jsonb, :hash, :runId, 4, now() - interval '1 minute',
                    'PROVIDER_UNAVAILABLE', :message, 'UNRESOLVED')
            """)
        .param("id", id)
        .param("workflowId", "notification-" + id)
        .param("hash", id.toString())
        .param("runId", runId)
        .param("message", errorMessage)
        .update();
    return id;
  }

  private void sendAll(List<OpsAlert> alerts) {
    for (OpsAlert alert : alerts) {
      activities.emailOpsAlert(alert);
      activities.postOpsAlertToWebhook(alert);
    }
  }

  @Test
  void aFailedJobIsEmailedAndPostedOnceHoweverManyChecksSeeIt() {
    UUID job = failedJob("run-1", "Mailgun answered HTTP 503");

    List<OpsAlert> first = activities.claimOpsAlerts(100);
    sendAll(first);
    // A delivery attempt repeated after its answer was lost sends nothing more.
    sendAll(first);
    List<OpsAlert> later = activities.claimOpsAlerts(100);
    sendAll(later);

    assertThat(first)
        .singleElement()
        .satisfies(
            alert -> {
              assertThat(alert.condition()).isEqualTo(AlertCondition.JOB_FAILED);
              assertThat(alert.jobId()).isEqualTo(job.toString());
              assertThat(alert.link()).isEqualTo("https://jobs.example.test/ops/jobs/" + job);
            });
    assertThat(later).isEmpty();
    assertThat(mail.accepted())
        .singleElement()
        .satisfies(
            email -> {
              assertThat(email.form().get("to")).isEqualTo("ops@alerts.test");
              assertThat(email.form().get("subject"))
                  .isEqualTo("[ops] Job failed: notification job " + job);
              assertThat(email.form().get("text"))
                  .contains(job.toString())
                  .contains("failed after 4 attempts")
                  .contains("PROVIDER_UNAVAILABLE: Mailgun answered HTTP 503")
                  .contains("https://jobs.example.test/ops/jobs/" + job);
            });
    assertThat(webhook.posts())
        .singleElement()
        .satisfies(
            post -> {
              assertThat(post.body())
                  .contains("\"text\":\"Job failed: notification job " + job)
                  .contains("\"blocks\":[")
                  .contains("https://jobs.example.test/ops/jobs/" + job);
            });
    assertThat(jdbc.sql("SELECT count(*) FROM ops_alerts").query(Long.class).single()).isEqualTo(1);
    assertThat(
            meters
                .get(OpsAlertActivitiesImpl.SENT_COUNTER)
                .tag("condition", "job_failed")
                .tag("channel", "webhook")
                .counter()
                .count())
        .isEqualTo(1.0);
  }

  @Test
  void aRetriedJobThatFailsAgainIsAlertedAgain() {
    UUID job = failedJob("run-1", "first failure");
    sendAll(activities.claimOpsAlerts(100));
    jdbc.sql("UPDATE jobs SET run_id = 'run-2' WHERE id = :id").param("id", job).update();

    sendAll(activities.claimOpsAlerts(100));

    assertThat(webhook.acceptedMentioning(job.toString())).hasSize(2);
  }

  @Test
  void aWebhookAnsweringAnErrorFailsTheAttemptRetryablyAndTheNextAttemptPosts() {
    failedJob("run-1", "boom");
    OpsAlert alert = activities.claimOpsAlerts(100).get(0);
    webhook.failNext(1, 503);

    assertThatThrownBy(() -> activities.postOpsAlertToWebhook(alert))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            failure -> {
              assertThat(failure.getType()).isEqualTo("PROVIDER_UNAVAILABLE");
              assertThat(failure.isNonRetryable()).isFalse();
            });
    assertThat(activities.claimOpsAlerts(100)).as("still owed").hasSize(1);

    activities.postOpsAlertToWebhook(alert);

    assertThat(webhook.posts())
        .extracting(AlertWebhookSink.Post::answeredStatus)
        .containsExactly(503, 200);
  }

  @Test
  void aStuckJobIsAlertedOnceAndNoPersonalDataGoesOut() {
    String job = UUID.randomUUID().toString();
    conditions.add(
        new AlertCandidate(
            AlertCondition.JOB_STUCK,
            job,
            job,
            "company_notice",
            "activity sendCompanyNotice retrying, attempt 3",
            "PROVIDER_UNAVAILABLE",
            "Mailgun refused ann.smith@example.com: HTTP 503"));

    sendAll(activities.claimOpsAlerts(100));
    sendAll(activities.claimOpsAlerts(100));

    assertThat(mail.accepted())
        .singleElement()
        .satisfies(
            email ->
                assertThat(email.form().get("text"))
                    .contains("Job stuck")
                    .contains("activity sendCompanyNotice retrying, attempt 3")
                    .doesNotContain("ann.smith@example.com"));
    assertThat(webhook.posts())
        .singleElement()
        .satisfies(
            post -> assertThat(post.body()).contains(job).doesNotContain("ann.smith@example.com"));
  }
}
