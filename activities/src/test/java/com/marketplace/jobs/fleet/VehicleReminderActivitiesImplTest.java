package com.marketplace.jobs.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marketplace.jobs.devstack.MailgunSink;
import com.marketplace.jobs.notifications.TestMailers;
import com.marketplace.jobs.testsupport.MigratedPostgres;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The vehicle reminders' claims and emails on real PostgreSQL, sent through the real Mailgun client
 * to the Mailgun sink: which due dates are reminded, once, and what a failing Mailgun does.
 */
class VehicleReminderActivitiesImplTest {

  private static final long COMPANY = 501;
  private static final long BANNED_COMPANY = 502;
  private static final String COMPANY_EMAIL = "fleet@lakeside-rentals.test";

  private static MigratedPostgres database;
  private static JdbcClient jdbc;

  private MailgunSink sink;
  private TestActivityEnvironment env;
  private VehicleReminderActivities activities;

  @BeforeAll
  static void startDatabase() {
    database = MigratedPostgres.start();
    jdbc = database.jdbc();
    jdbc.sql("INSERT INTO tenants (id, name, plan, vehicle_limit) VALUES (5, 'Lake', 'pro', 50)")
        .update();
    jdbc.sql(
            """
            INSERT INTO companies (id, tenant_id, name, email, status) VALUES
              (501, 5, 'Lakeside Rentals', 'fleet@lakeside-rentals.test', 'ACTIVE'),
              (502, 5, 'Shady Rentals', 'desk@shady-rentals.test', 'BANNED')
            """)
        .update();
    jdbc.sql("INSERT INTO vehicle_models (id, tenant_id, name) VALUES (51, 5, 'Cabrio')").update();
    jdbc.sql(
            """
            INSERT INTO vehicles (id, company_id, model_id)
            SELECT n, CASE WHEN n < 5900 THEN 501 ELSE 502 END, 51
              FROM generate_series(5001, 5999) AS n
            """)
        .update();
  }

  @AfterAll
  static void stopDatabase() throws Exception {
    database.close();
  }

  @BeforeEach
  void setUp() {
    jdbc.sql("DELETE FROM touchpoints").update();
    jdbc.sql("DELETE FROM vehicle_due_dates").update();
    sink = new MailgunSink("mg.example.com", "test-key").start(0);
    env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(
        new VehicleReminderActivitiesImpl(
            jdbc,
            TestMailers.companyMailer(jdbc, sink),
            new VehicleReminderProperties(7, 1, ZoneOffset.UTC)));
    activities =
        env.newActivityStub(
            VehicleReminderActivities.class,
            ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(1))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                .build());
  }

  @AfterEach
  void tearDown() {
    env.close();
    sink.close();
  }

  /** A due date {@code days} after today (UTC) for {@code vehicle}. */
  private static long dueIn(long vehicle, String kind, int days) {
    return jdbc.sql(
            """
            INSERT INTO vehicle_due_dates (vehicle_id, kind, due_on)
            VALUES (:vehicle, :kind, (now() AT TIME ZONE 'UTC')::date + :days) RETURNING id
            """)
        .param("vehicle", vehicle)
        .param("kind", kind)
        .param("days", days)
        .query(Long.class)
        .single();
  }

  private ReminderBatch runOnce() {
    activities.claimVehicleReminders();
    List<Long> unsent = activities.unsentVehicleReminders(0, 50);
    return unsent.isEmpty() ? new ReminderBatch(0, 0, 0) : activities.sendVehicleReminders(unsent);
  }

  @Test
  void dueDatesThreeSevenAndThirtyDaysOutWithASevenDayLeadGiveExactlyOneReminderOnce() {
    dueIn(5001, "INSURANCE", 3);
    long inAWeek = dueIn(5002, "INSPECTION", 7);
    dueIn(5003, "MAINTENANCE", 30);

    ReminderBatch first = runOnce();
    ReminderBatch second = runOnce();

    assertThat(first).isEqualTo(new ReminderBatch(1, 0, 0));
    assertThat(second).as("the next run sends nothing again").isEqualTo(new ReminderBatch(0, 0, 0));
    List<MailgunSink.Received> emails = sink.accepted();
    assertThat(emails).hasSize(1);
    Map<String, String> email = emails.get(0).form();
    assertThat(email).containsEntry("to", COMPANY_EMAIL);
    assertThat(email.get("subject"))
        .isEqualTo("Inspection of vehicle Cabrio #5002 due on " + day(7));
    assertThat(email.get("text")).contains("Lakeside Rentals").contains("inspection");
    assertThat(
            jdbc.sql(
                    """
                    SELECT subject_key, company_id, due_on = (now() AT TIME ZONE 'UTC')::date AS today,
                           sent_at IS NOT NULL AS sent, late, provider_message_id
                      FROM touchpoints WHERE kind = 'vehicle_reminder'
                    """)
                .query()
                .listOfRows())
        .containsExactly(
            Map.of(
                "subject_key",
                "vehicle-due-date:" + inAWeek,
                "company_id",
                COMPANY,
                "today",
                true,
                "sent",
                true,
                "late",
                false,
                "provider_message_id",
                emails.get(0).messageId()));
  }

  @Test
  void aReminderDayMissedYesterdayIsCaughtUpLateButNotOneMissedLongerAgo() {
    dueIn(5010, "INSPECTION", 6);
    dueIn(5011, "INSPECTION", 5);

    assertThat(runOnce()).isEqualTo(new ReminderBatch(1, 1, 0));
    assertThat(sink.accepted())
        .singleElement()
        .satisfies(email -> assertThat(email.form().get("subject")).contains("#5010"));
  }

  @Test
  void aBannedCompanyIsNotReminded() {
    dueIn(5950, "INSURANCE", 7);

    assertThat(runOnce()).isEqualTo(new ReminderBatch(0, 0, 0));
    assertThat(sink.received()).isEmpty();
  }

  @Test
  void aBatchThatFailsHalfwayIsRetriedWithoutSendingAnyReminderTwice() {
    for (long vehicle = 5020; vehicle < 5024; vehicle++) {
      dueIn(vehicle, "MAINTENANCE", 7);
    }
    activities.claimVehicleReminders();
    List<Long> batch = activities.unsentVehicleReminders(0, 50);
    assertThat(batch).hasSize(4);
    // The first two go out, then Mailgun answers 503 until it recovers.
    activities.sendVehicleReminders(batch.subList(0, 2));
    sink.failAlways(503);
    assertThatThrownBy(() -> activities.sendVehicleReminders(batch))
        .hasStackTraceContaining("PROVIDER_UNAVAILABLE");
    sink.failAlways(0);

    ReminderBatch retry = activities.sendVehicleReminders(batch);

    assertThat(retry.sent()).as("the retry sends only what the first call did not").isEqualTo(2);
    assertThat(sink.accepted()).hasSize(4);
    assertThat(sink.accepted().stream().map(email -> email.form().get("subject")).distinct())
        .hasSize(4);
    assertThat(
            jdbc.sql("SELECT count(*) FROM touchpoints WHERE sent_at IS NOT NULL")
                .query(Long.class)
                .single())
        .isEqualTo(4L);
  }

  @Test
  void aReminderMailgunRefusesForGoodIsMarkedFailedAndTheOthersAreSent() {
    long refused = dueIn(5030, "INSURANCE", 7);
    dueIn(5031, "INSURANCE", 7);
    sink.failNext(1, 400);

    assertThat(runOnce()).isEqualTo(new ReminderBatch(1, 0, 1));
    assertThat(
            jdbc.sql("SELECT delivery_status FROM touchpoints WHERE subject_key = :key")
                .param("key", "vehicle-due-date:" + refused)
                .query(String.class)
                .single())
        .isEqualTo("FAILED");
    assertThat(runOnce())
        .as("a refused reminder is not tried again")
        .isEqualTo(new ReminderBatch(0, 0, 0));
  }

  private static String day(int days) {
    return jdbc.sql("SELECT ((now() AT TIME ZONE 'UTC')::date + :days)::text")
        .param("days", days)
        .query(String.class)
        .single();
  }
}
