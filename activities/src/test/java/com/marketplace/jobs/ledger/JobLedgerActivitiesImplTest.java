package com.marketplace.jobs.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marketplace.jobs.testsupport.MigratedPostgres;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.AbstractDataSource;

/** The worker's ledger writes against the real {@code jobs} table. */
class JobLedgerActivitiesImplTest {

  private static final String WORKFLOW_ID = "notification-ledger-test";
  private static final String RUN_ID = "run-1";
  private static final Instant STARTED = Instant.parse("2026-01-01T10:00:00Z");
  private static final Instant FINISHED = Instant.parse("2026-01-01T10:05:00Z");

  private static MigratedPostgres database;
  private static JdbcClient jdbc;

  private JobLedgerActivitiesImpl ledger;
  private MeterRegistry meters;

  @BeforeAll
  static void startDatabase() {
    database = MigratedPostgres.start();
    jdbc = database.jdbc();
  }

  @AfterAll
  static void stopDatabase() throws Exception {
    database.close();
  }

  @BeforeEach
  void setUp() {
    jdbc.sql("TRUNCATE jobs CASCADE").update();
    meters = new SimpleMeterRegistry();
    ledger = new JobLedgerActivitiesImpl(jdbc, new JobMetrics(meters));
  }

  /** A ledger row as the api and relay leave it: PENDING, no run id yet, nothing started. */
  private static void insertPending(String workflowId) {
    jdbc.sql(
            """
            INSERT INTO jobs (id, type, priority, workflow_id, workflow_type, task_queue, payload,
                              content_hash)
            VALUES (:id, 'notification', 2, :workflowId, 'NotificationWorkflow', 'notifications',
                    CAST(:payload AS jsonb), :hash)
            """)
        .param("id", UUID.randomUUID())
        .param("workflowId", workflowId)
        .param("payload", "{\"customerId\": 42, \"template\": \"welcome\"}")
        .param("hash", "hash-" + workflowId)
        .update();
  }

  private static void insertProcessing(String workflowId, String runId, int attempts) {
    insertPending(workflowId);
    jdbc.sql(
            """
            UPDATE jobs SET status = 'PROCESSING', run_id = :runId, attempts = :attempts,
                   started_at = :started, workflow_started_at = :started
             WHERE workflow_id = :workflowId
            """)
        .param("runId", runId)
        .param("attempts", attempts)
        .param("started", Timestamp.from(STARTED))
        .param("workflowId", workflowId)
        .update();
  }

  private static void insertCompleted(String workflowId, String runId) {
    insertProcessing(workflowId, runId, 1);
    jdbc.sql(
            "UPDATE jobs SET status = 'COMPLETED', finished_at = :finished"
                + " WHERE workflow_id = :workflowId")
        .param("finished", Timestamp.from(FINISHED))
        .param("workflowId", workflowId)
        .update();
  }

  private static void insertFailed(String workflowId, String runId) {
    insertProcessing(workflowId, runId, 4);
    jdbc.sql(
            """
            UPDATE jobs SET status = 'FAILED', finished_at = :finished, resolution = 'UNRESOLVED',
                   last_error_type = 'PROVIDER_UNAVAILABLE',
                   last_error_message = 'Mailgun answered HTTP 503'
             WHERE workflow_id = :workflowId
            """)
        .param("finished", Timestamp.from(FINISHED))
        .param("workflowId", workflowId)
        .update();
  }

  private static Map<String, Object> row(String workflowId) {
    return jdbc.sql(
            """
            SELECT status, run_id, attempts, resolution, last_error_type, last_error_message,
                   started_at, workflow_started_at, finished_at, progress_completed, progress_total
              FROM jobs WHERE workflow_id = :workflowId
            """)
        .param("workflowId", workflowId)
        .query()
        .singleRow();
  }

  private static Timestamp at(Instant instant) {
    return Timestamp.from(instant);
  }

  @Test
  void theFirstAttemptMakesAPendingJobProcessing() {
    insertPending(WORKFLOW_ID);

    ledger.attemptStarted(WORKFLOW_ID, RUN_ID);

    Map<String, Object> row = row(WORKFLOW_ID);
    assertThat(row)
        .containsEntry("status", "PROCESSING")
        .containsEntry("run_id", RUN_ID)
        .containsEntry("attempts", 1)
        .containsEntry("resolution", null)
        .containsEntry("finished_at", null);
    assertThat(row.get("started_at")).isNotNull();
    assertThat(row.get("workflow_started_at")).isNotNull();
  }

  @Test
  void everyAttemptIsCountedAndTheStartTimeKept() {
    insertProcessing(WORKFLOW_ID, RUN_ID, 1);

    ledger.attemptStarted(WORKFLOW_ID, RUN_ID);
    ledger.attemptStarted(WORKFLOW_ID, RUN_ID);
    ledger.attemptStarted(WORKFLOW_ID, RUN_ID);

    assertThat(row(WORKFLOW_ID))
        .containsEntry("status", "PROCESSING")
        .containsEntry("attempts", 4)
        .containsEntry("started_at", at(STARTED))
        .containsEntry("workflow_started_at", at(STARTED));
  }

  @Test
  void aFailedAttemptRecordsTheLastErrorAndLeavesTheJobProcessing() {
    insertProcessing(WORKFLOW_ID, RUN_ID, 1);

    ledger.attemptFailed(WORKFLOW_ID, "PROVIDER_UNAVAILABLE", "Mailgun answered HTTP 500");
    ledger.attemptFailed(WORKFLOW_ID, "PROVIDER_UNAVAILABLE", "Mailgun answered HTTP 503");

    assertThat(row(WORKFLOW_ID))
        .containsEntry("status", "PROCESSING")
        .containsEntry("attempts", 1)
        .containsEntry("last_error_type", "PROVIDER_UNAVAILABLE")
        .containsEntry("last_error_message", "Mailgun answered HTTP 503")
        .containsEntry("resolution", null)
        .containsEntry("finished_at", null);
  }

  @Test
  void aFailedAttemptsMessageHasItsEmailAddressesMasked() {
    insertProcessing(WORKFLOW_ID, RUN_ID, 1);

    ledger.attemptFailed(
        WORKFLOW_ID,
        "IllegalStateException",
        "could not deliver to jane.doe+rentals@mail.example.co.uk (cc bob_smith@example.com)");

    assertThat(row(WORKFLOW_ID))
        .containsEntry("last_error_type", "IllegalStateException")
        .containsEntry("last_error_message", "could not deliver to <email> (cc <email>)");
  }

  @Test
  void markCompletedFinishesAProcessingJob() {
    insertProcessing(WORKFLOW_ID, RUN_ID, 2);
    jdbc.sql(
            "UPDATE jobs SET progress_completed = 7, progress_total = 10"
                + " WHERE workflow_id = :workflowId")
        .param("workflowId", WORKFLOW_ID)
        .update();

    ledger.markCompleted(WORKFLOW_ID);

    Map<String, Object> row = row(WORKFLOW_ID);
    assertThat(row)
        .containsEntry("status", "COMPLETED")
        .containsEntry("attempts", 2)
        .containsEntry("started_at", at(STARTED))
        .containsEntry("resolution", null)
        .containsEntry("progress_completed", 10L)
        .containsEntry("progress_total", 10L);
    assertThat((Timestamp) row.get("finished_at")).isAfter(at(STARTED));
  }

  @Test
  void markCompletedOfAJobThatNeverStartedAnAttemptSetsItsStartTime() {
    insertPending(WORKFLOW_ID);

    ledger.markCompleted(WORKFLOW_ID);

    Map<String, Object> row = row(WORKFLOW_ID);
    assertThat(row).containsEntry("status", "COMPLETED").containsEntry("attempts", 0);
    assertThat(row.get("started_at")).isNotNull();
    assertThat(row.get("finished_at")).isNotNull();
  }

  @Test
  void markFailedFinishesTheJobUnresolvedWithTheError() {
    insertProcessing(WORKFLOW_ID, RUN_ID, 4);

    ledger.markFailed(WORKFLOW_ID, "PROVIDER_REJECTED", "Mailgun refused the message: HTTP 400");

    Map<String, Object> row = row(WORKFLOW_ID);
    assertThat(row)
        .containsEntry("status", "FAILED")
        .containsEntry("attempts", 4)
        .containsEntry("resolution", "UNRESOLVED")
        .containsEntry("last_error_type", "PROVIDER_REJECTED")
        .containsEntry("last_error_message", "Mailgun refused the message: HTTP 400")
        .containsEntry("started_at", at(STARTED));
    assertThat((Timestamp) row.get("finished_at")).isAfter(at(STARTED));
  }

  @Test
  void aJobWhoseCancellationWasRequestedEndsCancelledWhenItsWorkflowEndsCancelledOrRolledBack() {
    insertProcessing(WORKFLOW_ID, RUN_ID, 2);
    insertProcessing("company_ban-1", "run-ban", 3);
    insertProcessing("company_ban-2", "run-ban-2", 3);
    jdbc.sql("UPDATE jobs SET cancel_requested_at = now()").update();

    ledger.markFailed(WORKFLOW_ID, "CANCELED", "Activity canceled");
    ledger.markFailed("company_ban-1", "ROLLED_BACK", "Ban of company 1 was cancelled");
    ledger.markFailed("company_ban-2", "ROLLBACK_INCOMPLETE", "could not restore orders");

    assertThat(row(WORKFLOW_ID))
        .containsEntry("status", "CANCELLED")
        .containsEntry("resolution", null)
        .containsEntry("last_error_type", "CANCELED")
        .containsEntry("started_at", at(STARTED));
    assertThat(row(WORKFLOW_ID).get("finished_at")).isNotNull();
    assertThat(row("company_ban-1")).containsEntry("status", "CANCELLED");
    assertThat(row("company_ban-2"))
        .as("a rollback that left changes needs a person: FAILED")
        .containsEntry("status", "FAILED")
        .containsEntry("resolution", "UNRESOLVED");
  }

  @Test
  void aCancelledWorkflowWhoseCancellationNobodyRequestedThroughTheApiIsFailed() {
    insertProcessing(WORKFLOW_ID, RUN_ID, 1);

    ledger.markFailed(WORKFLOW_ID, "CANCELED", "Workflow canceled");

    assertThat(row(WORKFLOW_ID))
        .containsEntry("status", "FAILED")
        .containsEntry("resolution", "UNRESOLVED");
  }

  @Test
  void markFailedMasksEmailAddresses() {
    insertProcessing(WORKFLOW_ID, RUN_ID, 1);

    ledger.markFailed(
        WORKFLOW_ID, "SmtpException", "550 mailbox jane.doe@example.org unavailable for a@b.io");

    assertThat(row(WORKFLOW_ID))
        .containsEntry("last_error_message", "550 mailbox <email> unavailable for <email>");
  }

  @Test
  void markFailedCapsTheMessageAt1000CharactersAfterMasking() {
    insertProcessing(WORKFLOW_ID, RUN_ID, 1);
    insertProcessing("notification-long", RUN_ID, 1);
    // Masking first: the address at the end shrinks to "<email>" and the message then fits.
    String fitsOnceMasked = "x".repeat(990) + " jane.doe@example.org";

    ledger.markFailed(WORKFLOW_ID, "Boom", fitsOnceMasked);
    ledger.markFailed("notification-long", "Boom", "y".repeat(1500));

    assertThat((String) row(WORKFLOW_ID).get("last_error_message"))
        .isEqualTo("x".repeat(990) + " <email>");
    assertThat((String) row("notification-long").get("last_error_message"))
        .isEqualTo("y".repeat(1000));
  }

  @Test
  void aCompletedJobIsNotMovedBackByALateMarkFailedOrMarkCompleted() {
    insertCompleted(WORKFLOW_ID, RUN_ID);
    Map<String, Object> before = row(WORKFLOW_ID);

    ledger.markFailed(WORKFLOW_ID, "PROVIDER_UNAVAILABLE", "Mailgun answered HTTP 503");
    ledger.markCompleted(WORKFLOW_ID);

    assertThat(row(WORKFLOW_ID))
        .isEqualTo(before)
        .containsEntry("status", "COMPLETED")
        .containsEntry("last_error_type", null)
        .containsEntry("resolution", null)
        .containsEntry("finished_at", at(FINISHED));
  }

  @Test
  void aFailedJobIsNotMovedBackByALateMarkCompletedOrAnotherMarkFailed() {
    insertFailed(WORKFLOW_ID, RUN_ID);
    Map<String, Object> before = row(WORKFLOW_ID);

    ledger.markCompleted(WORKFLOW_ID);
    ledger.markFailed(WORKFLOW_ID, "CANCELED", "a later, different error");

    assertThat(row(WORKFLOW_ID))
        .isEqualTo(before)
        .containsEntry("status", "FAILED")
        .containsEntry("resolution", "UNRESOLVED")
        .containsEntry("last_error_type", "PROVIDER_UNAVAILABLE")
        .containsEntry("last_error_message", "Mailgun answered HTTP 503")
        .containsEntry("finished_at", at(FINISHED));
  }

  @Test
  void aLateAttemptOfTheSameRunChangesNothingOnAFinishedJob() {
    insertCompleted("notification-completed", RUN_ID);
    insertFailed("notification-failed", RUN_ID);
    Map<String, Object> completed = row("notification-completed");
    Map<String, Object> failed = row("notification-failed");

    ledger.attemptStarted("notification-completed", RUN_ID);
    ledger.attemptStarted("notification-failed", RUN_ID);

    assertThat(row("notification-completed"))
        .isEqualTo(completed)
        .containsEntry("status", "COMPLETED")
        .containsEntry("attempts", 1);
    assertThat(row("notification-failed"))
        .isEqualTo(failed)
        .containsEntry("status", "FAILED")
        .containsEntry("attempts", 4)
        .containsEntry("resolution", "UNRESOLVED");
  }

  @Test
  void anAttemptOfANewRunReopensAFailedJobAsRetried() {
    insertFailed(WORKFLOW_ID, RUN_ID);

    ledger.attemptStarted(WORKFLOW_ID, "run-2-after-reset");

    assertThat(row(WORKFLOW_ID))
        .containsEntry("status", "PROCESSING")
        .containsEntry("resolution", "RETRIED")
        .containsEntry("run_id", "run-2-after-reset")
        .containsEntry("attempts", 5)
        .containsEntry("finished_at", null)
        .containsEntry("started_at", at(STARTED))
        .containsEntry("workflow_started_at", at(STARTED));
  }

  @Test
  void anAttemptOfANewRunReopensACompletedJobWithoutAResolution() {
    // JobAttemptRecorder: a job finished under another run is PROCESSING again; only a failed
    // job's resolution becomes RETRIED.
    insertCompleted(WORKFLOW_ID, RUN_ID);

    ledger.attemptStarted(WORKFLOW_ID, "run-2-after-reset");

    assertThat(row(WORKFLOW_ID))
        .containsEntry("status", "PROCESSING")
        .containsEntry("resolution", null)
        .containsEntry("run_id", "run-2-after-reset")
        .containsEntry("attempts", 2)
        .containsEntry("finished_at", null);
  }

  @Test
  void aRetriedJobThatSucceedsIsCompletedAndStaysMarkedRetried() {
    insertFailed(WORKFLOW_ID, RUN_ID);

    ledger.attemptStarted(WORKFLOW_ID, "run-2-after-reset");
    ledger.attemptStarted(WORKFLOW_ID, "run-2-after-reset");
    ledger.markCompleted(WORKFLOW_ID);

    Map<String, Object> row = row(WORKFLOW_ID);
    assertThat(row)
        .containsEntry("status", "COMPLETED")
        .containsEntry("resolution", "RETRIED")
        .containsEntry("run_id", "run-2-after-reset")
        .containsEntry("attempts", 6);
    assertThat((Timestamp) row.get("finished_at")).isAfter(at(FINISHED));
  }

  @Test
  void writesTouchOnlyTheJobOfTheirWorkflow() {
    insertProcessing(WORKFLOW_ID, RUN_ID, 1);
    insertProcessing("notification-other", "other-run", 1);
    Map<String, Object> other = row("notification-other");

    ledger.attemptStarted(WORKFLOW_ID, RUN_ID);
    ledger.attemptFailed(WORKFLOW_ID, "PROVIDER_UNAVAILABLE", "Mailgun answered HTTP 500");
    ledger.markFailed(WORKFLOW_ID, "PROVIDER_UNAVAILABLE", "Mailgun answered HTTP 500");

    assertThat(row(WORKFLOW_ID)).containsEntry("status", "FAILED");
    assertThat(row("notification-other")).isEqualTo(other);
  }

  @Test
  void aWorkflowWithoutALedgerRowWritesNothingAndDoesNotFail() {
    insertProcessing(WORKFLOW_ID, RUN_ID, 1);
    Map<String, Object> before = row(WORKFLOW_ID);

    ledger.attemptStarted("started-by-hand", "run-x");
    ledger.attemptFailed("started-by-hand", "Boom", "boom");
    ledger.markFailed("started-by-hand", "Boom", "boom");
    ledger.markCompleted("started-by-hand");

    assertThat(jdbc.sql("SELECT count(*) FROM jobs").query(Long.class).single()).isEqualTo(1L);
    assertThat(row(WORKFLOW_ID)).isEqualTo(before);
  }

  @Test
  void attemptBookkeepingNeverFailsTheJobWhenTheDatabaseIsDown() {
    JobLedgerActivitiesImpl unreachable =
        new JobLedgerActivitiesImpl(
            JdbcClient.create(
                new AbstractDataSource() {
                  @Override
                  public java.sql.Connection getConnection() throws SQLException {
                    throw new SQLException("connection refused");
                  }

                  @Override
                  public java.sql.Connection getConnection(String user, String password)
                      throws SQLException {
                    throw new SQLException("connection refused");
                  }
                }),
            new JobMetrics(meters));

    assertThatCode(() -> unreachable.attemptStarted(WORKFLOW_ID, RUN_ID))
        .doesNotThrowAnyException();
    assertThatCode(() -> unreachable.attemptFailed(WORKFLOW_ID, "Boom", "boom"))
        .doesNotThrowAnyException();
    // The end of a job runs as a local activity: it must throw so that Temporal retries it.
    assertThatThrownBy(() -> unreachable.markFailed(WORKFLOW_ID, "Boom", "boom"))
        .isInstanceOf(DataAccessException.class);
    assertThatThrownBy(() -> unreachable.markCompleted(WORKFLOW_ID))
        .isInstanceOf(DataAccessException.class);
  }

  private double count(String metric) {
    return meters
        .get(metric)
        .tag("type", "notification")
        .tag("priority", "customer_facing")
        .counter()
        .count();
  }

  private Timer timer(String metric, String... extraTags) {
    var search = meters.get(metric).tag("type", "notification").tag("priority", "customer_facing");
    for (int i = 0; i < extraTags.length; i += 2) {
      search = search.tag(extraTags[i], extraTags[i + 1]);
    }
    return search.timer();
  }

  private static void acceptedAgo(String workflowId, Duration ago) {
    jdbc.sql(
            "UPDATE jobs SET created_at = now() - make_interval(secs => :secs) WHERE workflow_id = :w")
        .param("secs", ago.toSeconds())
        .param("w", workflowId)
        .update();
  }

  @Test
  void aJobsFirstAttemptCountsItStartedOnceWithTheTimeSinceItWasAccepted() {
    insertPending(WORKFLOW_ID);
    acceptedAgo(WORKFLOW_ID, Duration.ofSeconds(90));

    ledger.attemptStarted(WORKFLOW_ID, RUN_ID);
    ledger.attemptStarted(WORKFLOW_ID, RUN_ID);
    ledger.attemptStarted(WORKFLOW_ID, RUN_ID);

    assertThat(count("jobs.started")).isEqualTo(1);
    Timer acceptToStart = timer("jobs.accept.to.start");
    assertThat(acceptToStart.count()).isEqualTo(1);
    assertThat(acceptToStart.totalTime(java.util.concurrent.TimeUnit.SECONDS))
        .isBetween(90.0, 120.0);
  }

  @Test
  void aDelayedJobsWaitIsCountedFromItsDueTimeNotFromItsAcceptance() {
    insertPending(WORKFLOW_ID);
    acceptedAgo(WORKFLOW_ID, Duration.ofHours(1));
    jdbc.sql("UPDATE jobs SET not_before = now() - interval '10 seconds'").update();

    ledger.attemptStarted(WORKFLOW_ID, RUN_ID);

    assertThat(timer("jobs.accept.to.start").totalTime(java.util.concurrent.TimeUnit.SECONDS))
        .isBetween(10.0, 40.0);
  }

  @Test
  void aDuplicateOrReplayedEndCountsTheJobOnce() {
    insertProcessing(WORKFLOW_ID, RUN_ID, 1);
    insertProcessing("notification-failing", "run-f", 4);

    ledger.markCompleted(WORKFLOW_ID);
    ledger.markCompleted(WORKFLOW_ID);
    ledger.markFailed(WORKFLOW_ID, "PROVIDER_UNAVAILABLE", "a late failure");
    ledger.markFailed("notification-failing", "PROVIDER_REJECTED", "HTTP 400");
    ledger.markFailed("notification-failing", "PROVIDER_REJECTED", "HTTP 400");
    ledger.attemptStarted(WORKFLOW_ID, RUN_ID);

    assertThat(count("jobs.completed")).isEqualTo(1);
    assertThat(count("jobs.failed")).isEqualTo(1);
    assertThat(count("jobs.started")).as("both had started before").isZero();
    assertThat(timer("jobs.accept.to.finish", "outcome", "completed").count()).isEqualTo(1);
    assertThat(timer("jobs.accept.to.finish", "outcome", "failed").count()).isEqualTo(1);
  }

  @Test
  void aJobThatEndsWithoutAnyAttemptCountsAsStartedAndFinished() {
    insertPending(WORKFLOW_ID);

    ledger.markCompleted(WORKFLOW_ID);

    assertThat(count("jobs.started")).isEqualTo(1);
    assertThat(count("jobs.completed")).isEqualTo(1);
  }

  @Test
  void aRequestedCancellationCountsCancelledNotFailedAndAJobCancelledBeforeItRanNeverStarted() {
    insertPending(WORKFLOW_ID);
    jdbc.sql("UPDATE jobs SET cancel_requested_at = now()").update();

    ledger.markFailed(WORKFLOW_ID, "TERMINATED", "cancelled while waiting");

    assertThat(count("jobs.cancelled")).isEqualTo(1);
    assertThat(count("jobs.failed")).isZero();
    assertThat(count("jobs.started")).isZero();
    assertThat(timer("jobs.accept.to.finish", "outcome", "cancelled").count()).isEqualTo(1);
  }

  @Test
  void aResetOfAFailedJobCountsOneRetryAndItsSecondEndCountsAgain() {
    insertFailed(WORKFLOW_ID, RUN_ID);

    ledger.attemptStarted(WORKFLOW_ID, "run-2-after-reset");
    ledger.attemptStarted(WORKFLOW_ID, "run-2-after-reset");
    ledger.markCompleted(WORKFLOW_ID);

    assertThat(count("jobs.retried")).isEqualTo(1);
    assertThat(count("jobs.started")).as("it started the first time").isZero();
    assertThat(count("jobs.completed")).isEqualTo(1);
  }

  @Test
  void aResetOfACompletedJobIsNotARetry() {
    insertCompleted(WORKFLOW_ID, RUN_ID);

    ledger.attemptStarted(WORKFLOW_ID, "run-2-after-reset");

    assertThat(count("jobs.retried")).isZero();
  }

  @Test
  void everyJobTypeIsCountedFromZeroUnderItsPriorityTierAndNeverByJob() {
    assertThat(
            meters
                .get("jobs.failed")
                .tag("type", "payment_event")
                .tag("priority", "payment")
                .counter()
                .count())
        .isZero();
    assertThat(meters.getMeters())
        .allSatisfy(
            meter ->
                assertThat(meter.getId().getTags())
                    .extracting(io.micrometer.core.instrument.Tag::getKey)
                    .isSubsetOf("type", "priority", "outcome", "schedule"));
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {
        "user@bücher.de",
        "jürgen.müller@example.de",
        "o'brien@example.com",
        "a%b@example.com",
        "jane%40example.com",
        "first.last+tag@sub.example.co.uk",
        "user@localhost"
      })
  void everyShapeOfEmailAddressIsMaskedWhole(String address) {
    assertThat(JobLedgerActivitiesImpl.withoutPersonalData("rejected <" + address + ">: bounced"))
        .isEqualTo("rejected <<email>>: bounced");
    assertThat(JobLedgerActivitiesImpl.withoutPersonalData("to " + address + " failed"))
        .isEqualTo("to <email> failed");
  }

  @Test
  void theLengthCapNeverSplitsACharacter() {
    String emoji = "\uD83D\uDE97";
    String capped = JobLedgerActivitiesImpl.withoutPersonalData("x" + emoji.repeat(1000));
    assertThat(capped.codePointCount(0, capped.length())).isEqualTo(1000);
    assertThat(Character.isHighSurrogate(capped.charAt(capped.length() - 1))).isFalse();
  }
}
