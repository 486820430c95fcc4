package com.marketplace.jobs.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.marketplace.jobs.testsupport.MigratedPostgres;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Retention and roll-ups against the real tables: what an operator finds in the ledger after a run,
 * and which figures survive it.
 */
class JobRetentionActivitiesImplTest {

  private static MigratedPostgres database;
  private static JdbcClient jdbc;
  private static TransactionTemplate transactions;

  private TestActivityEnvironment env;
  private JobRetentionActivities retention;

  @BeforeAll
  static void startDatabase() {
    database = MigratedPostgres.start();
    jdbc = database.jdbc();
    transactions = new TransactionTemplate(new DataSourceTransactionManager(database.dataSource()));
  }

  @AfterAll
  static void stopDatabase() throws Exception {
    database.close();
  }

  @BeforeEach
  void setUp() {
    jdbc.sql(
            """
            TRUNCATE jobs, job_retries, job_daily_rollups, email_deliveries, email_sends,
                     moderation_changes, moderation_fences, search_reindex_batches,
                     payment_alerts, mailgun_events, payments, webhook_events, companies,
                     tenants CASCADE
            """)
        .update();
    jdbc.sql("INSERT INTO tenants (id, name, plan, vehicle_limit) VALUES (1, 't', 'basic', 10)")
        .update();
    jdbc.sql(
            """
            INSERT INTO companies (id, tenant_id, name, email, status)
            VALUES (10, 1, 'banned', 'b@example.test', 'BANNED'),
                   (11, 1, 'active', 'a@example.test', 'ACTIVE')
            """)
        .update();
    // Batches of 2, so the deletions take several transactions.
    JobRetentionActivitiesImpl impl =
        new JobRetentionActivitiesImpl(
            jdbc,
            transactions,
            new JobRetentionProperties(Duration.ofDays(90), Duration.ofDays(400), 7, 2));
    env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(impl);
    retention =
        env.newActivityStub(
            JobRetentionActivities.class,
            ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(1))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                .build());
  }

  @AfterEach
  void closeEnvironment() {
    env.close();
  }

  /**
   * A job accepted {@code daysAgo} days ago (at noon UTC of that day), finished {@code
   * finishedDaysAgo} days ago unless null.
   */
  private static UUID job(
      String type, String status, int daysAgo, Integer finishedDaysAgo, String extraSet) {
    UUID id = UUID.randomUUID();
    jdbc.sql(
            """
            INSERT INTO jobs (id, type, status, priority, workflow_id, workflow_type, task_queue,
                              payload, content_hash, created_at, started_at, finished_at)
            VALUES (:id, :type, :status, 2, :wf, 'W', 'background-jobs', '{}', 'h',
                    ((now() AT TIME ZONE 'UTC')::date - :days + time '12:00') AT TIME ZONE 'UTC',
                    ((now() AT TIME ZONE 'UTC')::date - :days + time '12:00:02') AT TIME ZONE 'UTC',
                    CASE WHEN CAST(:finished AS integer) IS NULL THEN NULL
                         ELSE ((now() AT TIME ZONE 'UTC')::date - CAST(:finished AS integer)
                               + time '12:00:10') AT TIME ZONE 'UTC' END)
            """)
        .param("id", id)
        .param("type", type)
        .param("status", status)
        .param("wf", type + "-" + id)
        .param("days", daysAgo)
        .param("finished", finishedDaysAgo)
        .update();
    if (extraSet != null) {
      jdbc.sql("UPDATE jobs SET " + extraSet + " WHERE id = :id").param("id", id).update();
    }
    return id;
  }

  private static boolean exists(UUID jobId) {
    return jdbc.sql("SELECT count(*) FROM jobs WHERE id = :id")
            .param("id", jobId)
            .query(Long.class)
            .single()
        == 1;
  }

  private static long count(String sql, UUID jobId) {
    return jdbc.sql(sql).param("id", jobId).query(Long.class).single();
  }

  @Test
  void oldFinishedJobsGoWithTheirOwnRecordsWhileUnresolvedFailuresAndSharedRecordsStay() {
    UUID oldCompleted = job("notification", "COMPLETED", 100, 100, null);
    jdbc.sql(
            """
            INSERT INTO email_deliveries (job_id, customer_id, template, provider_message_id)
            VALUES (:id, 7, 'welcome', 'msg-1');
            INSERT INTO email_sends (job_id, provider_message_id) VALUES (:id, 'msg-1');
            INSERT INTO mailgun_events (event_id, event, occurred_at, message_id, job_id)
            VALUES ('ev-1', 'delivered', now() - interval '100 days', 'msg-1', CAST(:id AS text));
            INSERT INTO job_retries (job_id, retried_by, failed_run_id, new_run_id)
            VALUES (:id, 'ops:alice', 'run-1', 'run-2');
            INSERT INTO webhook_events (provider, event_id, event_type, outcome, job_id)
            VALUES ('stripe', 'evt_1', 'payment_intent.succeeded', 'ACCEPTED', :id);
            INSERT INTO payments (payment_intent_id, status, captured_by_job_id, last_event_id,
                                  last_event_type)
            VALUES ('pi_1', 'SUCCEEDED', :id, 'evt_1', 'payment_intent.succeeded');
            """)
        .param("id", oldCompleted)
        .update();
    UUID oldCancelled = job("notification", "CANCELLED", 120, 120, null);
    UUID oldFailedUnresolved =
        job("payment_event", "FAILED", 200, 200, "resolution = 'UNRESOLVED'");
    jdbc.sql(
            "INSERT INTO payment_alerts (job_id, event_id, provider_message_id)"
                + " VALUES (:id, 'evt_2', 'msg-2')")
        .param("id", oldFailedUnresolved)
        .update();
    UUID oldResolvedLongAgo =
        job(
            "notification",
            "FAILED",
            100,
            100,
            "resolution = 'RESOLVED', resolved_at = now() - interval '95 days'");
    UUID oldResolvedRecently =
        job(
            "notification",
            "FAILED",
            100,
            100,
            "resolution = 'RESOLVED', resolved_at = now() - interval '10 days'");
    UUID recentCompleted = job("notification", "COMPLETED", 10, 10, null);
    UUID oldCompletedLately = job("notification", "COMPLETED", 100, 20, null);

    int days = retention.rollUpJobDays();
    long deleted = retention.deleteExpiredJobs();

    assertThat(deleted).isEqualTo(3);
    assertThat(exists(oldCompleted)).isFalse();
    assertThat(exists(oldCancelled)).isFalse();
    assertThat(exists(oldResolvedLongAgo)).isFalse();
    assertThat(exists(oldFailedUnresolved)).as("failed, nobody resolved it").isTrue();
    assertThat(exists(oldResolvedRecently)).as("resolved 10 days ago").isTrue();
    assertThat(exists(recentCompleted)).isTrue();
    assertThat(exists(oldCompletedLately)).as("finished 20 days ago").isTrue();
    for (String table :
        List.of("email_deliveries", "email_sends", "job_retries", "payment_alerts")) {
      assertThat(count("SELECT count(*) FROM " + table + " WHERE job_id = :id", oldCompleted))
          .as(table)
          .isZero();
    }
    assertThat(count("SELECT count(*) FROM mailgun_events WHERE job_id = :id::text", oldCompleted))
        .isZero();
    assertThat(count("SELECT count(*) FROM payment_alerts WHERE job_id = :id", oldFailedUnresolved))
        .as("the kept failure keeps its alert")
        .isEqualTo(1);
    assertThat(count("SELECT count(*) FROM payments WHERE captured_by_job_id = :id", oldCompleted))
        .as("the payment is the platform's record, not the job's")
        .isEqualTo(1);
    assertThat(count("SELECT count(*) FROM webhook_events WHERE job_id = :id", oldCompleted))
        .as("a replay of the event must still be recognised")
        .isEqualTo(1);
    // The roll-ups keep what the deleted jobs were: 100 days ago, 4 accepted (one still in the
    // ledger as well), 2 completed, 2 failed.
    assertThat(days).isGreaterThanOrEqualTo(7 + 3);
    Map<String, Object> day100 =
        jdbc.sql(
                """
                SELECT accepted, completed, failed, cancelled FROM job_daily_rollups
                 WHERE day = (now() AT TIME ZONE 'UTC')::date - 100 AND type = 'notification'
                """)
            .query()
            .singleRow();
    assertThat(day100)
        .containsEntry("accepted", 4L)
        .containsEntry("completed", 2L)
        .containsEntry("failed", 2L)
        .containsEntry("cancelled", 0L);
    assertThat(retention.deleteExpiredJobs()).as("a second run finds nothing").isZero();
  }

  @Test
  void aJobWhoseDayHasNoRollUpIsNotDeleted() {
    UUID oldCompleted = job("notification", "COMPLETED", 100, 100, null);

    assertThat(retention.deleteExpiredJobs()).isZero();
    assertThat(exists(oldCompleted)).isTrue();
  }

  @Test
  void bansOfBannedCompaniesStayWithTheirChangesOthersGoWithTheirsAndFollowUpsFirst() {
    UUID banOfBanned = job("company_ban", "COMPLETED", 100, 100, "company_id = 10");
    UUID banOfActive = job("company_ban", "COMPLETED", 100, 100, "company_id = 11");
    for (UUID ban : List.of(banOfBanned, banOfActive)) {
      jdbc.sql(
              """
              INSERT INTO moderation_changes (job_id, entity, entity_id, previous_state, new_state)
              VALUES (:id, 'COMPANY', 10, 'ACTIVE', 'BANNED');
              INSERT INTO moderation_fences (job_id, run_id) VALUES (:id, 'run-1');
              """)
          .param("id", ban)
          .update();
    }
    UUID oldNotice =
        job("company_notice", "COMPLETED", 100, 100, "parent_job_id = '" + banOfActive + "'");
    UUID parentWithRecentFollowUp = job("company_unban", "COMPLETED", 100, 100, "company_id = 11");
    UUID recentNotice =
        job(
            "company_notice",
            "COMPLETED",
            100,
            5,
            "parent_job_id = '" + parentWithRecentFollowUp + "'");

    retention.rollUpJobDays();
    long deleted = retention.deleteExpiredJobs();

    assertThat(deleted).isEqualTo(2);
    assertThat(exists(banOfActive)).isFalse();
    assertThat(exists(oldNotice)).isFalse();
    assertThat(exists(banOfBanned)).as("a later unban reverses it").isTrue();
    assertThat(count("SELECT count(*) FROM moderation_changes WHERE job_id = :id", banOfBanned))
        .isEqualTo(1);
    assertThat(count("SELECT count(*) FROM moderation_changes WHERE job_id = :id", banOfActive))
        .isZero();
    assertThat(count("SELECT count(*) FROM moderation_fences WHERE job_id = :id", banOfActive))
        .isZero();
    assertThat(exists(parentWithRecentFollowUp)).as("its follow-up is still kept").isTrue();
    assertThat(exists(recentNotice)).isTrue();
  }

  @Test
  void aRecentDayIsRolledUpWithItsFiguresAndRecomputedTheSame() {
    job("notification", "COMPLETED", 2, 2, null);
    job(
        "notification",
        "COMPLETED",
        2,
        2,
        "last_error_type = 'MAILGUN_UNAVAILABLE', first_failed_at = created_at + interval '4 s'");
    job("notification", "FAILED", 2, 2, "last_error_type = 'INVALID_INPUT'");
    job("notification", "PENDING", 2, null, "started_at = NULL");
    job("notification", "CANCELLED", 2, 2, "last_error_type = 'CANCELLED'");

    retention.rollUpJobDays();
    Map<String, Object> first = rollup(LocalDate.now(ZoneOffset.UTC).minusDays(2));
    retention.rollUpJobDays();
    Map<String, Object> second = rollup(LocalDate.now(ZoneOffset.UTC).minusDays(2));

    assertThat(first)
        .containsEntry("accepted", 5L)
        .containsEntry("started", 4L)
        .containsEntry("completed", 2L)
        .containsEntry("failed", 1L)
        .containsEntry("cancelled", 1L)
        .containsEntry("unfinished", 1L)
        .containsEntry("needed_retry", 2L)
        .containsEntry("recovered", 1L)
        .containsEntry("recovery_count", 1L)
        .containsEntry("finish_count", 2L);
    // Accepted at 12:00:00, started at 12:00:02, finished at 12:00:10; first failure at 12:00:04.
    assertThat((Double) first.get("recovery_seconds_sum")).isCloseTo(6.0, within(0.001));
    assertThat((Double) first.get("start_p95_seconds")).isCloseTo(2.0, within(0.001));
    assertThat((Double) first.get("finish_p50_seconds")).isCloseTo(10.0, within(0.001));
    first.remove("computed_at");
    second.remove("computed_at");
    assertThat(second).isEqualTo(first);
  }

  private static Map<String, Object> rollup(LocalDate day) {
    return jdbc.sql("SELECT * FROM job_daily_rollups WHERE day = :day AND type = 'notification'")
        .param("day", day)
        .query()
        .singleRow();
  }

  @Test
  void rollUpsOlderThanTheirKeepingTimeGo() {
    jdbc.sql(
            """
            INSERT INTO job_daily_rollups (day, type, priority, accepted, started, completed,
                failed, cancelled, unfinished, needed_retry, recovered, recovery_seconds_sum,
                recovery_count, start_seconds_sum, start_count, finish_seconds_sum, finish_count)
            SELECT (now() AT TIME ZONE 'UTC')::date - d, 'notification', 2, 1, 1, 1, 0, 0, 0, 0,
                   0, 0, 0, 0, 0, 0, 0
              FROM unnest(ARRAY[401, 300]) d
            """)
        .update();

    assertThat(retention.deleteExpiredJobRollups()).isEqualTo(1);
    assertThat(
            jdbc.sql("SELECT (now() AT TIME ZONE 'UTC')::date - day FROM job_daily_rollups")
                .query(Integer.class)
                .list())
        .containsExactly(300);
  }

  @Test
  void theFirstFailureIsRecordedOnceByTheDatabase() {
    UUID id = job("notification", "PROCESSING", 0, null, null);

    jdbc.sql("UPDATE jobs SET last_error_type = 'A' WHERE id = :id").param("id", id).update();
    Object first =
        jdbc.sql("SELECT first_failed_at FROM jobs WHERE id = :id")
            .param("id", id)
            .query()
            .singleValue();
    jdbc.sql("UPDATE jobs SET last_error_type = 'B' WHERE id = :id").param("id", id).update();

    assertThat(first).isNotNull();
    assertThat(
            jdbc.sql("SELECT first_failed_at FROM jobs WHERE id = :id")
                .param("id", id)
                .query()
                .singleValue())
        .isEqualTo(first);
  }
}
