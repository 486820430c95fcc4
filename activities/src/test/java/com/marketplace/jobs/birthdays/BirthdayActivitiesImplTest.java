package com.marketplace.jobs.birthdays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.marketplace.jobs.devstack.MailgunSink;
import com.marketplace.jobs.notifications.EmailTemplates;
import com.marketplace.jobs.notifications.MailgunProperties;
import com.marketplace.jobs.notifications.TestMailers;
import com.marketplace.jobs.testsupport.MigratedPostgres;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The birthday activities on a real PostgreSQL against the Mailgun sink: which customers get a
 * reminder at a given instant, what Mailgun receives, what the touchpoints record, and batches that
 * fail or whose answer is lost.
 */
class BirthdayActivitiesImplTest {

  /** 07:30 UTC on 1 December 2026. */
  private static final Instant NOW = Instant.parse("2026-12-01T07:30:00Z");

  private static MigratedPostgres database;
  private static JdbcClient jdbc;

  private MailgunSink mailgun;
  private TestActivityEnvironment env;

  @BeforeAll
  static void startDatabase() {
    database = MigratedPostgres.start();
    jdbc = database.jdbc();
    jdbc.sql("INSERT INTO tenants (id, name, plan, vehicle_limit) VALUES (1, 't', 'basic', 10)")
        .update();
  }

  @AfterAll
  static void stopDatabase() throws Exception {
    database.close();
  }

  @BeforeEach
  void start() {
    jdbc.sql("TRUNCATE touchpoints, email_sends").update();
    jdbc.sql("DELETE FROM customers").update();
    mailgun = new MailgunSink("mg.example.com", "key-test").start(0);
  }

  @AfterEach
  void stop() {
    if (env != null) {
      env.close();
    }
    mailgun.close();
  }

  private BirthdayActivities activities(Instant now, int batchSize) {
    MailgunProperties properties =
        new MailgunProperties(
            URI.create(mailgun.baseUrl()),
            "mg.example.com",
            "key-test",
            "Rentals <no-reply@mg.example.com>",
            Duration.ofSeconds(1),
            Duration.ofSeconds(1),
            Duration.ofSeconds(1),
            Duration.ofSeconds(2),
            Duration.ofMillis(200));
    BirthdayActivitiesImpl impl =
        new BirthdayActivitiesImpl(
            new BirthdayTouchpoints(jdbc),
            new EmailTemplates(),
            TestMailers.mailgun(properties, jdbc),
            new BirthdayProperties("06:00", "09:00", batchSize),
            Clock.fixed(now, ZoneOffset.UTC));
    if (env != null) {
      env.close();
    }
    env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(impl);
    return env.newActivityStub(
        BirthdayActivities.class,
        ActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofMinutes(1))
            .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
            .build());
  }

  private static void customer(long id, String name, String born, String zone) {
    jdbc.sql(
            "INSERT INTO customers (id, tenant_id, email, first_name, birth_date, time_zone)"
                + " VALUES (:id, 1, :email, :name, :born::date, :zone)")
        .param("id", id)
        .param("email", name.toLowerCase() + "@example.org")
        .param("name", name)
        .param("born", born)
        .param("zone", zone)
        .update();
  }

  /** Customer id → late, for every sent birthday touchpoint. */
  private static Map<Long, Boolean> sentLate() {
    Map<Long, Boolean> sent = new TreeMap<>();
    jdbc.sql(
            "SELECT customer_id, late FROM touchpoints"
                + " WHERE kind = 'birthday_reminder' AND sent_at IS NOT NULL")
        .query((rs, row) -> sent.put(rs.getLong(1), rs.getBoolean(2)))
        .list();
    return sent;
  }

  private List<String> acceptedRecipients() {
    return mailgun.accepted().stream().map(r -> r.form().get("to")).sorted().toList();
  }

  @Test
  void atOneInstantEachCustomerWhoseLocalBirthdayItIsAndWhoseWindowOpenedGetsOneEmail() {
    customer(1, "Wilhelmina", "1990-12-01", "Europe/Berlin"); // 08:30: on time
    customer(2, "Eleonora", "1985-12-01", "Europe/London"); // 07:30: on time
    customer(3, "Priyanka", "1992-12-01", "Asia/Kolkata"); // 13:00: late
    customer(4, "Theodore", "1970-12-01", "America/New_York"); // 02:30: not yet
    customer(5, "Kalani", "1999-11-30", "Pacific/Honolulu"); // 21:30 on 30 Nov: late
    customer(6, "Teuila", "2001-12-02", "Pacific/Kiritimati"); // 21:30 on 1 Dec: not her day
    customer(7, "Augustin", "1980-06-15", "Europe/Paris"); // another day
    customer(8, "Zbigniew", "1975-12-01", "UTC+3"); // not an IANA zone: counted in UTC, on time
    BirthdayActivities activities = activities(NOW, 1000);

    assertThat(activities.claimDueReminders()).isEqualTo(5);
    BatchProgress progress = activities.sendDueBatches(20);

    assertThat(progress).isEqualTo(new BatchProgress(5, 2, 1, 0, false));
    assertThat(acceptedRecipients())
        .containsExactly(
            "eleonora@example.org",
            "kalani@example.org",
            "priyanka@example.org",
            "wilhelmina@example.org",
            "zbigniew@example.org");
    assertThat(sentLate())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(1L, false, 2L, false, 3L, true, 5L, true, 8L, false));
    MailgunSink.Received kalani =
        mailgun.accepted().stream()
            .filter(r -> r.form().get("to").equals("kalani@example.org"))
            .findFirst()
            .orElseThrow();
    assertThat(kalani.form().get("subject")).isEqualTo("Happy birthday, Kalani!");
    assertThat(kalani.form().get("html")).contains("<p>Hi Kalani,</p>");
    Map<String, Object> row =
        jdbc.sql(
                "SELECT id, subject_key, due_on, provider_message_id, batch_id::text AS batch"
                    + " FROM touchpoints WHERE customer_id = 5")
            .query()
            .singleRow();
    assertThat(row.get("subject_key")).isEqualTo("customer:5:2026");
    assertThat(row.get("due_on").toString()).isEqualTo("2026-11-30");
    assertThat(row.get("provider_message_id")).isEqualTo(kalani.messageId());
    assertThat(kalani.form().get("v:touchpoint-id")).isEqualTo(row.get("id").toString());
    assertThat(kalani.form().get("v:batch-id")).isEqualTo(row.get("batch"));

    // A second run finds nothing owed and sends nothing.
    assertThat(activities.claimDueReminders()).isZero();
    assertThat(activities.sendDueBatches(20)).isEqualTo(BatchProgress.none());
    assertThat(mailgun.accepted()).hasSize(5);
  }

  @Test
  void aCustomerAlreadyRemindedThisYearIsNotRemindedAgain() {
    customer(1, "Wilhelmina", "1990-12-01", "Europe/Berlin");
    jdbc.sql(
            "INSERT INTO touchpoints (kind, subject_key, customer_id, due_on, due_by, sent_at)"
                + " VALUES ('birthday_reminder', 'customer:1:2026', 1, '2026-12-01',"
                + " '2026-12-01T08:00:00Z', '2026-12-01T05:15:00Z')")
        .update();

    BirthdayActivities activities = activities(NOW, 1000);

    assertThat(activities.claimDueReminders()).isZero();
    assertThat(activities.sendDueBatches(20).sent()).isZero();
    assertThat(mailgun.received()).isEmpty();
  }

  @Test
  void bornOn29FebruaryIsRemindedOn28FebruaryOnlyInYearsWithoutOne() {
    customer(1, "Leapling", "2000-02-29", "UTC");

    assertThat(activities(Instant.parse("2028-02-28T07:00:00Z"), 1000).claimDueReminders())
        .isZero();
    assertThat(activities(Instant.parse("2027-02-28T07:00:00Z"), 1000).claimDueReminders())
        .isEqualTo(1);
    jdbc.sql("TRUNCATE touchpoints").update();
    assertThat(activities(Instant.parse("2028-02-29T07:00:00Z"), 1000).claimDueReminders())
        .isEqualTo(1);
  }

  @Test
  void manyRecipientsGoInBatchesOfTheConfiguredSizeAndACallStopsAtItsBatchLimit() {
    for (long id = 1; id <= 7; id++) {
      customer(id, "Customer" + id, "1990-12-01", "Europe/Berlin");
    }
    BirthdayActivities activities = activities(NOW, 3);
    activities.claimDueReminders();

    BatchProgress first = activities.sendDueBatches(2);
    BatchProgress second = activities.sendDueBatches(2);

    assertThat(first).isEqualTo(new BatchProgress(6, 0, 2, 0, true));
    assertThat(second).isEqualTo(new BatchProgress(1, 0, 1, 0, false));
    assertThat(mailgun.accepted()).hasSize(7);
    assertThat(mailgun.accepted().stream().map(MailgunSink.Received::messageId).distinct())
        .hasSize(3);
  }

  @Test
  void aBatchThatFailsIsSentAgainByTheNextAttemptAndNobodyGetsTwo() {
    for (long id = 1; id <= 4; id++) {
      customer(id, "Customer" + id, "1990-12-01", "Europe/Berlin");
    }
    BirthdayActivities activities = activities(NOW, 2);
    activities.claimDueReminders();
    // The first batch is accepted, the second answered 503.
    BatchProgress first = activities.sendDueBatches(1);
    mailgun.failNext(1, 503);
    Throwable failed = catchThrowable(() -> activities.sendDueBatches(1));
    BatchProgress retried = activities.sendDueBatches(5);

    assertThat(first.sent()).isEqualTo(2);
    assertThat(failed).hasMessageContaining("503");
    assertThat(retried.sent()).isEqualTo(2);
    assertThat(acceptedRecipients())
        .containsExactly(
            "customer1@example.org",
            "customer2@example.org",
            "customer3@example.org",
            "customer4@example.org");
    assertThat(sentLate()).hasSize(4);
  }

  @Test
  void aBatchWhoseAnswerWasLostIsFoundInMailgunsEventsAndNotSentAgain() {
    for (long id = 1; id <= 3; id++) {
      customer(id, "Customer" + id, "1990-12-01", "Europe/Berlin");
    }
    BirthdayActivities activities = activities(NOW, 1000);
    activities.claimDueReminders();
    // Accepted on arrival, answered after the client's 1 s read deadline.
    mailgun.delayNext(1, Duration.ofSeconds(3));

    Throwable lost = catchThrowable(() -> activities.sendDueBatches(5));
    BatchProgress retried = activities.sendDueBatches(5);

    assertThat(lost).hasMessageContaining("answer was lost");
    assertThat(retried.sent()).isEqualTo(3);
    assertThat(mailgun.accepted()).hasSize(3);
    assertThat(mailgun.eventQueries()).isNotEmpty();
    String messageId = mailgun.accepted().get(0).messageId();
    assertThat(
            jdbc.sql("SELECT DISTINCT provider_message_id FROM touchpoints")
                .query(String.class)
                .list())
        .containsExactly(messageId);
  }

  @Test
  void aBatchMailgunRefusesAsInvalidIsMarkedFailedAndTheRunGoesOn() {
    for (long id = 1; id <= 4; id++) {
      customer(id, "Customer" + id, "1990-12-01", "Europe/Berlin");
    }
    BirthdayActivities activities = activities(NOW, 2);
    activities.claimDueReminders();
    mailgun.failNext(1, 400);

    BatchProgress progress = activities.sendDueBatches(5);

    assertThat(progress).isEqualTo(new BatchProgress(2, 0, 2, 2, false));
    assertThat(
            jdbc.sql(
                    "SELECT count(*) FROM touchpoints WHERE delivery_status = 'FAILED'"
                        + " AND failure_reason = 'rejected' AND sent_at IS NULL")
                .query(Integer.class)
                .single())
        .isEqualTo(2);
    assertThat(mailgun.accepted()).hasSize(2);
  }

  @Test
  void aReminderClaimedButNotSentBeforeItsLocalDayEndedIsNoLongerSent() {
    customer(1, "Wilhelmina", "1990-12-01", "Europe/Berlin");
    activities(NOW, 1000).claimDueReminders();

    // Midnight in Berlin: 23:00 UTC.
    BirthdayActivities nextDay = activities(Instant.parse("2026-12-01T23:00:00Z"), 1000);

    assertThat(nextDay.claimDueReminders()).isZero();
    assertThat(nextDay.sendDueBatches(5).sent()).isZero();
    assertThat(mailgun.received()).isEmpty();
  }

  @Test
  void anotherRunsFreshBatchIsLeftToItAndADeadRunsBatchIsFinishedOnce() {
    for (long id = 1; id <= 3; id++) {
      customer(id, "Customer" + id, "1990-12-01", "Europe/Berlin");
    }
    BirthdayActivities activities = activities(NOW, 1000);
    activities.claimDueReminders();
    // Another run gave customer 1 a batch a minute ago (its call may still be on its way), and a
    // run that died gave customer 2 one eleven minutes ago.
    jdbc.sql(
            "UPDATE touchpoints SET batch_id = gen_random_uuid(), batch_owner = 'other-run',"
                + " batch_started_at = :at::timestamptz WHERE customer_id = 1")
        .param("at", NOW.minusSeconds(60).toString())
        .update();
    jdbc.sql(
            "UPDATE touchpoints SET batch_id = gen_random_uuid(), batch_owner = 'dead-run',"
                + " batch_started_at = :at::timestamptz WHERE customer_id = 2")
        .param("at", NOW.minusSeconds(660).toString())
        .update();

    BatchProgress progress = activities.sendDueBatches(5);

    assertThat(progress).isEqualTo(new BatchProgress(2, 0, 2, 0, false));
    assertThat(acceptedRecipients())
        .containsExactly("customer2@example.org", "customer3@example.org");
    assertThat(sentLate()).containsOnlyKeys(2L, 3L);
  }
}
