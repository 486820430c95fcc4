package com.marketplace.jobs.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The stuck rules against a real, migrated PostgreSQL and a Temporal that reports the pending
 * activities the test says: which jobs are listed, why, and which are not.
 */
class StuckJobsTest {

  private static EmbeddedPostgres postgres;
  private static JdbcClient jdbc;

  /** Temporal's pending activity per workflow id; none for any other. */
  private final Map<String, PendingActivities.Retrying> pending = new ConcurrentHashMap<>();

  private final StuckJobs stuckJobs =
      new StuckJobs(
          jdbc,
          (workflowId, minAttempt) ->
              Optional.ofNullable(pending.get(workflowId))
                  .filter(activity -> activity.attempt() >= minAttempt),
          new StuckJobsProperties(
              Duration.ofMinutes(10),
              Duration.ofMinutes(15),
              2,
              50,
              3,
              Duration.ofMinutes(15),
              200));

  @BeforeAll
  static void startPostgres() throws IOException {
    postgres = EmbeddedPostgres.start();
    Flyway.configure()
        .dataSource(postgres.getPostgresDatabase())
        .locations("classpath:db/migration")
        .load()
        .migrate();
    jdbc = JdbcClient.create(postgres.getPostgresDatabase());
  }

  @AfterAll
  static void stopPostgres() throws IOException {
    postgres.close();
  }

  @BeforeEach
  void clean() {
    jdbc.sql("DELETE FROM jobs").update();
  }

  /**
   * A ledger row: {@code status}, accepted {@code createdAgo} ago, due {@code dueAgo} ago (null: no
   * delay), last written {@code updatedAgo} ago, started or not, with or without a failed attempt.
   */
  private static UUID job(
      String type,
      String status,
      Duration createdAgo,
      Duration dueAgo,
      Duration updatedAgo,
      boolean started,
      String errorType) {
    UUID id = UUID.randomUUID();
    jdbc.sql(
            """
            INSERT INTO jobs (id, type, status, priority, workflow_id, workflow_type, task_queue,
                              payload, content_hash, created_at, not_before, updated_at,
                              started_at, finished_at, last_error_type, last_error_message)
            VALUES (:id, :type, :status, 2, :workflowId, 'Workflow', 'background-jobs',
                    '{}'::jsonb, :hash, now() - make_interval(secs => :created),
                    CASE WHEN :hasDue THEN now() - make_interval(secs => :due) END,
                    now() - make_interval(secs => :updated),
                    CASE WHEN :started THEN now() - make_interval(secs => :updated) END,
                    CASE WHEN :status = 'FAILED' THEN now() - make_interval(secs => :updated) END,
                    CAST(:errorType AS text), CASE WHEN CAST(:errorType AS text) IS NOT NULL THEN 'Mailgun answered HTTP 503' END)
            """)
        .param("id", id)
        .param("type", type)
        .param("status", status)
        .param("workflowId", type + "-" + id)
        .param("hash", id.toString())
        .param("created", createdAgo.toSeconds())
        .param("hasDue", dueAgo != null)
        .param("due", dueAgo == null ? 0 : dueAgo.toSeconds())
        .param("updated", updatedAgo.toSeconds())
        .param("started", started)
        .param("errorType", errorType)
        .update();
    return id;
  }

  private static final Duration NOW = Duration.ZERO;

  private static Duration min(long minutes) {
    return Duration.ofMinutes(minutes);
  }

  @Test
  void aPendingJobIsStuckOnlyOnceItsGraceAfterTheDueTimeHasPassed() {
    UUID overdue = job("notification", "PENDING", min(11), null, min(11), false, null);
    job("notification", "PENDING", min(5), null, min(5), false, null);
    UUID delayedOverdue = job("notification", "PENDING", min(60), min(12), min(60), false, null);
    job("notification", "PENDING", min(60), min(-30), min(60), false, null);

    List<StuckJob> stuck = stuckJobs.find();

    assertThat(stuck)
        .extracting(StuckJob::jobId)
        .containsExactlyInAnyOrder(overdue, delayedOverdue);
    assertThat(stuck)
        .allSatisfy(
            job -> {
              assertThat(job.reason()).isEqualTo(StuckReason.PENDING_OVERDUE);
              assertThat(job.detail())
                  .startsWith("pending, not started")
                  .endsWith("after its due time");
            });
  }

  @Test
  void aProcessingJobIsStuckAfterTheQuietTimeWithoutProgress() {
    UUID quiet = job("company_ban", "PROCESSING", min(40), null, min(20), true, null);
    job("company_ban", "PROCESSING", min(40), null, min(2), true, null);
    job("company_ban", "COMPLETED", min(40), null, min(30), true, null);

    List<StuckJob> stuck = stuckJobs.find();

    assertThat(stuck)
        .singleElement()
        .satisfies(
            job -> {
              assertThat(job.jobId()).isEqualTo(quiet);
              assertThat(job.reason()).isEqualTo(StuckReason.NO_PROGRESS);
              assertThat(job.detail()).isEqualTo("processing, no progress for 20 min");
            });
  }

  @Test
  void aJobWhoseActivityTemporalShowsRetryingIsListedWithTheActivityAndItsMaskedFailure() {
    UUID retrying =
        job("company_notice", "PROCESSING", min(3), null, NOW, true, "PROVIDER_UNAVAILABLE");
    UUID firstAttempt =
        job("company_notice", "PROCESSING", min(3), null, NOW, true, "PROVIDER_UNAVAILABLE");
    job("company_notice", "PROCESSING", min(3), null, NOW, true, null);
    pending.put(
        "company_notice-" + retrying,
        new PendingActivities.Retrying("sendCompanyNotice", 4, "refused for ann@example.com"));
    pending.put(
        "company_notice-" + firstAttempt,
        new PendingActivities.Retrying("sendCompanyNotice", 1, null));

    List<StuckJob> stuck = stuckJobs.find();

    assertThat(stuck)
        .singleElement()
        .satisfies(
            job -> {
              assertThat(job.jobId()).isEqualTo(retrying);
              assertThat(job.reason()).isEqualTo(StuckReason.ACTIVITY_RETRYING);
              assertThat(job.detail()).isEqualTo("activity sendCompanyNotice retrying, attempt 4");
              assertThat(job.errorMessage()).doesNotContain("ann@example.com");
            });
  }

  @Test
  void aTypeWithEnoughFailuresInTheWindowIsListedOnceForTheType() {
    for (int i = 0; i < 3; i++) {
      job("payment_event", "FAILED", min(20), null, min(5), true, "PROVIDER_REJECTED");
    }
    job("notification", "FAILED", min(20), null, min(5), true, "NOT_FOUND");
    job("notification", "FAILED", min(20), null, min(5), true, "NOT_FOUND");
    job("notification", "FAILED", min(90), null, min(60), true, "NOT_FOUND");

    List<StuckJob> stuck = stuckJobs.find();

    assertThat(stuck)
        .singleElement()
        .satisfies(
            type -> {
              assertThat(type.jobId()).isNull();
              assertThat(type.type()).isEqualTo("payment_event");
              assertThat(type.reason()).isEqualTo(StuckReason.TYPE_FAILING);
              assertThat(type.detail()).isEqualTo("3 jobs failed in the last 15 min");
              assertThat(type.errorType()).isEqualTo("PROVIDER_REJECTED");
            });
  }

  @Test
  void theGaugeCountsTheLastCheckByReason() {
    job("notification", "PENDING", min(11), null, min(11), false, null);
    job("company_ban", "PROCESSING", min(40), null, min(20), true, null);
    job("company_ban", "PROCESSING", min(40), null, min(30), true, null);
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    StuckJobsGauge gauge = new StuckJobsGauge(meters);

    gauge.record(stuckJobs.find());

    assertThat(meters.get(StuckJobsGauge.NAME).tag("reason", "pending_overdue").gauge().value())
        .isEqualTo(1.0);
    assertThat(meters.get(StuckJobsGauge.NAME).tag("reason", "no_progress").gauge().value())
        .isEqualTo(2.0);
    assertThat(meters.get(StuckJobsGauge.NAME).tag("reason", "type_failing").gauge().value())
        .isZero();
  }
}
