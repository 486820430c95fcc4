package com.marketplace.jobs.calendar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marketplace.jobs.devstack.GoogleCalendarFake;
import com.marketplace.jobs.testsupport.MigratedPostgres;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The calendar sync's activities on real PostgreSQL, reaching the Google Calendar fake through
 * Google's own client: first full sync, incremental changes, deletions, an expired sync token,
 * paging, rate-limit answers, refusals, and the conflicts with active orders.
 */
class CalendarSyncActivitiesImplTest {

  private static final String TOKEN = "calendar-test-token";
  private static final String FLEET_CALENDAR = "fleet-601@group.calendar.google.com";
  private static final String VAN_CALENDAR = "van-6005@group.calendar.google.com";
  private static final long FLEET = 1;
  private static final long VAN = 2;
  private static final long ORDER = 60001;
  private static final Instant DAY = Instant.parse("2027-03-01T00:00:00Z");

  private static MigratedPostgres database;
  private static JdbcClient jdbc;

  private GoogleCalendarFake google;
  private TestActivityEnvironment env;
  private CalendarSyncActivities activities;

  @BeforeAll
  static void startDatabase() {
    database = MigratedPostgres.start();
    jdbc = database.jdbc();
    jdbc.sql("INSERT INTO tenants (id, name, plan, vehicle_limit) VALUES (6, 'Dune', 'pro', 50)")
        .update();
    jdbc.sql(
            """
            INSERT INTO companies (id, tenant_id, name, email, status) VALUES
              (601, 6, 'Dune Rentals', 'fleet@dune-rentals.test', 'ACTIVE'),
              (602, 6, 'Other Rentals', 'desk@other-rentals.test', 'ACTIVE')
            """)
        .update();
    jdbc.sql("INSERT INTO vehicle_models (id, tenant_id, name) VALUES (61, 6, 'Buggy')").update();
    jdbc.sql(
            """
            INSERT INTO vehicles (id, company_id, model_id)
            SELECT n, CASE WHEN n < 6100 THEN 601 ELSE 602 END, 61
              FROM generate_series(6001, 6101) AS n
            """)
        .update();
    jdbc.sql(
            """
            INSERT INTO calendar_integrations (id, company_id, google_calendar_id, vehicle_id)
            VALUES (1, 601, :fleet, NULL), (2, 601, :van, 6005)
            """)
        .param("fleet", FLEET_CALENDAR)
        .param("van", VAN_CALENDAR)
        .update();
  }

  @AfterAll
  static void stopDatabase() throws Exception {
    database.close();
  }

  @BeforeEach
  void setUp() {
    jdbc.sql("DELETE FROM calendar_conflicts").update();
    jdbc.sql("DELETE FROM vehicle_availability_blocks").update();
    jdbc.sql("DELETE FROM orders").update();
    jdbc.sql(
            """
            UPDATE calendar_integrations
               SET sync_token = NULL, last_full_sync_at = NULL, last_incremental_sync_at = NULL,
                   last_sync_workflow_id = NULL, last_error = NULL, last_error_at = NULL,
                   google_calendar_id = CASE id WHEN 1 THEN :fleet ELSE :van END
            """)
        .param("fleet", FLEET_CALENDAR)
        .param("van", VAN_CALENDAR)
        .update();
    google = new GoogleCalendarFake(TOKEN).start(0);
    google.addCalendar(FLEET_CALENDAR);
    google.addCalendar(VAN_CALENDAR);
    activities = activities(Duration.ofSeconds(5));
  }

  private CalendarSyncActivities activities(Duration rateLimitMaxElapsed) {
    if (env != null) {
      env.close();
    }
    env = TestActivityEnvironment.newInstance();
    CalendarProperties properties =
        new CalendarProperties(
            java.net.URI.create(google.rootUrl()),
            null,
            TOKEN,
            250,
            Duration.ofSeconds(2),
            Duration.ofSeconds(5),
            Duration.ofMillis(20),
            rateLimitMaxElapsed);
    env.registerActivitiesImplementations(
        new CalendarSyncActivitiesImpl(
            jdbc,
            new TransactionTemplate(new DataSourceTransactionManager(database.dataSource())),
            new GoogleCalendarEvents(properties)));
    return env.newActivityStub(
        CalendarSyncActivities.class,
        ActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofMinutes(1))
            .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
            .build());
  }

  @AfterEach
  void tearDown() {
    env.close();
    env = null;
    google.close();
  }

  private static Instant at(int hours) {
    return DAY.plus(hours, ChronoUnit.HOURS);
  }

  private record Block(
      String eventId, Long vehicleId, Instant startsAt, Instant endsAt, boolean live) {}

  private static Map<String, Block> blocks(long integration) {
    return jdbc
        .sql(
            """
            SELECT google_event_id, vehicle_id, starts_at, ends_at, deleted_at IS NULL AS live
              FROM vehicle_availability_blocks WHERE integration_id = :id
            """)
        .param("id", integration)
        .query(
            (rs, n) ->
                new Block(
                    rs.getString(1),
                    rs.getObject(2, Long.class),
                    rs.getObject(3, OffsetDateTime.class).toInstant(),
                    rs.getObject(4, OffsetDateTime.class).toInstant(),
                    rs.getBoolean(5)))
        .list()
        .stream()
        .collect(java.util.stream.Collectors.toMap(Block::eventId, b -> b));
  }

  private static String syncToken(long integration) {
    return jdbc.sql("SELECT sync_token FROM calendar_integrations WHERE id = :id")
        .param("id", integration)
        .query((rs, n) -> java.util.Optional.ofNullable(rs.getString(1)))
        .single()
        .orElse(null);
  }

  @Test
  void theFirstSyncListsEveryEventAndMapsEachToItsVehicle() {
    google.putEvent(FLEET_CALENDAR, "evt-a", at(9), at(12), "6001");
    google.putEvent(FLEET_CALENDAR, "evt-b", at(13), at(15), "6101"); // another company's vehicle
    google.putEvent(FLEET_CALENDAR, "evt-c", at(16), at(18), null);
    google.putEvent(VAN_CALENDAR, "evt-v", at(8), at(20), null);

    assertThat(activities.calendarIntegrationsToSync(10)).containsExactly(FLEET, VAN);
    IntegrationSync fleet = activities.calendarSyncIntegration(FLEET);
    IntegrationSync van = activities.calendarSyncIntegration(VAN);

    assertThat(fleet.fullSync()).isTrue();
    assertThat(fleet.pages()).isEqualTo(1);
    assertThat(fleet.changed()).isEqualTo(3);
    assertThat(fleet.error()).isNull();
    assertThat(blocks(FLEET))
        .containsOnlyKeys("evt-a", "evt-b", "evt-c")
        .satisfies(
            b -> {
              assertThat(b.get("evt-a").vehicleId()).isEqualTo(6001L);
              assertThat(b.get("evt-a").startsAt()).isEqualTo(at(9));
              assertThat(b.get("evt-a").endsAt()).isEqualTo(at(12));
              assertThat(b.get("evt-b").vehicleId()).isNull();
              assertThat(b.get("evt-c").vehicleId()).isNull();
            });
    assertThat(blocks(VAN).get("evt-v").vehicleId()).isEqualTo(6005L);
    assertThat(van.fullSync()).isTrue();
    assertThat(syncToken(FLEET)).isNotBlank();
    assertThat(google.calls())
        .hasSize(2)
        .allSatisfy(
            call -> {
              assertThat(call.incremental()).isFalse();
              assertThat(call.query())
                  .containsEntry("singleEvents", "true")
                  .containsEntry("showDeleted", "true");
            });
    // This workflow synced both: a continued run would not list them again.
    assertThat(activities.calendarIntegrationsToSync(10)).isEmpty();
  }

  @Test
  void aLaterSyncAsksOnlyForTheChangesSinceItsTokenAndPicksUpANewAndAMovedEvent() {
    google.putEvent(FLEET_CALENDAR, "evt-a", at(9), at(12), "6001");
    google.putEvent(FLEET_CALENDAR, "evt-b", at(13), at(15), "6002");
    activities.calendarSyncIntegration(FLEET);
    String firstToken = syncToken(FLEET);

    google.moveEvent(FLEET_CALENDAR, "evt-b", at(30), at(33));
    google.putEvent(FLEET_CALENDAR, "evt-new", at(40), at(41), "6003");
    google.resetCalls();
    IntegrationSync second = activities.calendarSyncIntegration(FLEET);

    assertThat(second.fullSync()).isFalse();
    assertThat(second.changed()).isEqualTo(2);
    assertThat(google.calls())
        .singleElement()
        .satisfies(
            call -> {
              assertThat(call.query()).containsEntry("syncToken", firstToken);
              assertThat(call.status()).isEqualTo(200);
            });
    Map<String, Block> blocks = blocks(FLEET);
    assertThat(blocks.get("evt-b").startsAt()).isEqualTo(at(30));
    assertThat(blocks.get("evt-b").endsAt()).isEqualTo(at(33));
    assertThat(blocks.get("evt-new").vehicleId()).isEqualTo(6003L);
    assertThat(blocks.get("evt-a").startsAt()).isEqualTo(at(9));
    assertThat(syncToken(FLEET)).isNotEqualTo(firstToken);
    assertThat(
            jdbc.sql(
                    "SELECT last_incremental_sync_at IS NOT NULL FROM calendar_integrations"
                        + " WHERE id = 1")
                .query(Boolean.class)
                .single())
        .isTrue();

    // Nothing changed since: the next sync writes nothing.
    assertThat(activities.calendarSyncIntegration(FLEET).changed()).isZero();
  }

  @Test
  void aDeletedEventComesBackCancelledAndItsBlockIsDeleted() {
    google.putEvent(FLEET_CALENDAR, "evt-a", at(9), at(12), "6001");
    google.putEvent(FLEET_CALENDAR, "evt-b", at(13), at(15), "6002");
    activities.calendarSyncIntegration(FLEET);

    google.deleteEvent(FLEET_CALENDAR, "evt-a");
    IntegrationSync sync = activities.calendarSyncIntegration(FLEET);

    assertThat(sync.fullSync()).isFalse();
    assertThat(sync.changed()).isEqualTo(1);
    Map<String, Block> blocks = blocks(FLEET);
    assertThat(blocks.get("evt-a").live()).isFalse();
    // The deleted block keeps what it was.
    assertThat(blocks.get("evt-a").startsAt()).isEqualTo(at(9));
    assertThat(blocks.get("evt-a").vehicleId()).isEqualTo(6001L);
    assertThat(blocks.get("evt-b").live()).isTrue();
  }

  @Test
  void anExpiredSyncTokenIsAnsweredGoneAndTheSyncFallsBackToAFullOneDroppingWhatIsGone() {
    google.putEvent(FLEET_CALENDAR, "evt-a", at(9), at(12), "6001");
    activities.calendarSyncIntegration(FLEET);
    String oldToken = syncToken(FLEET);
    // A block the calendar does not list (as after events removed while the token was expired).
    jdbc.sql(
            """
            INSERT INTO vehicle_availability_blocks
                   (integration_id, google_event_id, vehicle_id, starts_at, ends_at)
            VALUES (1, 'evt-ghost', 6002, :s, :e)
            """)
        .param("s", OffsetDateTime.parse("2027-03-02T10:00:00Z"))
        .param("e", OffsetDateTime.parse("2027-03-02T11:00:00Z"))
        .update();
    google.putEvent(FLEET_CALENDAR, "evt-b", at(13), at(15), "6002");
    google.expireSyncTokens();
    google.resetCalls();

    IntegrationSync sync = activities.calendarSyncIntegration(FLEET);

    assertThat(sync.tokenExpired()).isTrue();
    assertThat(sync.fullSync()).isTrue();
    List<GoogleCalendarFake.Call> calls = google.calls();
    assertThat(calls).hasSize(2);
    assertThat(calls.get(0).query()).containsEntry("syncToken", oldToken);
    assertThat(calls.get(0).status()).isEqualTo(410);
    assertThat(calls.get(1).incremental()).isFalse();
    assertThat(calls.get(1).status()).isEqualTo(200);
    Map<String, Block> blocks = blocks(FLEET);
    assertThat(blocks.get("evt-ghost").live()).isFalse();
    assertThat(blocks.get("evt-a").live()).isTrue();
    assertThat(blocks.get("evt-b").live()).isTrue();
    assertThat(syncToken(FLEET)).isNotBlank().isNotEqualTo(oldToken);

    // The new token works.
    google.resetCalls();
    assertThat(activities.calendarSyncIntegration(FLEET).fullSync()).isFalse();
    assertThat(google.calls())
        .singleElement()
        .satisfies(c -> assertThat(c.status()).isEqualTo(200));
  }

  @Test
  void aCalendarLongerThanAPageIsReadPageByPageAndOnlyTheLastPageGivesTheSyncToken() {
    for (int i = 0; i < 600; i++) {
      google.putEvent(FLEET_CALENDAR, "evt-" + i, at(i), at(i).plusSeconds(1800), "6001");
    }

    IntegrationSync sync = activities.calendarSyncIntegration(FLEET);

    assertThat(sync.pages()).isEqualTo(3);
    assertThat(blocks(FLEET)).hasSize(600);
    List<GoogleCalendarFake.Call> calls = google.calls();
    assertThat(calls).hasSize(3);
    assertThat(calls.get(0).query())
        .doesNotContainKey("pageToken")
        .containsEntry("maxResults", "250");
    assertThat(calls.get(1).query()).containsKey("pageToken");
    assertThat(calls.get(2).query()).containsKey("pageToken");
    assertThat(syncToken(FLEET)).isNotBlank();
  }

  @Test
  void rateLimitAnswersAreRetriedWithBackoffUntilGoogleAnswers() {
    google.putEvent(FLEET_CALENDAR, "evt-a", at(9), at(12), "6001");
    google.rateLimitNext(2);
    google.failNext(1, 429);

    IntegrationSync sync = activities.calendarSyncIntegration(FLEET);

    assertThat(sync.error()).isNull();
    assertThat(blocks(FLEET)).containsOnlyKeys("evt-a");
    assertThat(google.calls())
        .extracting(GoogleCalendarFake.Call::status)
        .containsExactly(403, 403, 429, 200);
  }

  @Test
  void aCallStillRateLimitedAfterTheBackoffFailsAsTemporarySoTemporalRetriesIt() {
    CalendarSyncActivities impatient = activities(Duration.ofMillis(100));
    google.putEvent(FLEET_CALENDAR, "evt-a", at(9), at(12), "6001");
    google.failNext(100, 429);

    assertThatThrownBy(() -> impatient.calendarSyncIntegration(FLEET))
        .isInstanceOf(ActivityFailure.class)
        .cause()
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            failure -> {
              assertThat(failure.getType()).isEqualTo(CalendarSyncActivitiesImpl.UNAVAILABLE);
              assertThat(failure.isNonRetryable()).isFalse();
            });
    assertThat(blocks(FLEET)).isEmpty();
    assertThat(syncToken(FLEET)).isNull();
  }

  @Test
  void aCalendarGoogleDoesNotKnowIsRecordedOnTheIntegrationAndTheOthersGoOn() {
    jdbc.sql("UPDATE calendar_integrations SET google_calendar_id = 'gone@x' WHERE id = 1")
        .update();
    google.putEvent(VAN_CALENDAR, "evt-v", at(8), at(20), null);

    IntegrationSync gone = activities.calendarSyncIntegration(FLEET);
    IntegrationSync van = activities.calendarSyncIntegration(VAN);

    assertThat(gone.error()).contains("404");
    assertThat(
            jdbc.sql("SELECT last_error FROM calendar_integrations WHERE id = 1")
                .query(String.class)
                .single())
        .contains("404");
    assertThat(van.error()).isNull();
    assertThat(blocks(VAN)).containsOnlyKeys("evt-v");
  }

  private void order(long id, long vehicle, String status, Instant start, Instant end) {
    jdbc.sql(
            """
            INSERT INTO orders (id, company_id, vehicle_id, status, starts_at, ends_at)
            VALUES (:id, 601, :vehicle, :status, :start, :end)
            """)
        .param("id", id)
        .param("vehicle", vehicle)
        .param("status", status)
        .param("start", start.atOffset(java.time.ZoneOffset.UTC))
        .param("end", end.atOffset(java.time.ZoneOffset.UTC))
        .update();
  }

  private record Conflict(long orderId, String eventId, boolean open, String clearedReason) {}

  private static List<Conflict> conflicts() {
    return jdbc.sql(
            """
            SELECT order_id, google_event_id, cleared_at IS NULL, cleared_reason
              FROM calendar_conflicts ORDER BY id
            """)
        .query(
            (rs, n) ->
                new Conflict(rs.getLong(1), rs.getString(2), rs.getBoolean(3), rs.getString(4)))
        .list();
  }

  @Test
  void aBlockOverlappingAnActiveOrderIsFlaggedOnceAndClearedWhenTheOrderIsCancelled() {
    order(ORDER, 6001, "ACTIVE", at(10), at(14));
    order(ORDER + 1, 6001, "CANCELLED", at(10), at(14)); // not active: never a conflict
    order(ORDER + 2, 6002, "ACTIVE", at(10), at(14)); // another vehicle
    order(ORDER + 3, 6001, "ACTIVE", at(12), at(13)); // touches evt-a's end only: no overlap
    google.putEvent(FLEET_CALENDAR, "evt-a", at(9), at(12), "6001");
    activities.calendarSyncIntegration(FLEET);

    ConflictCheck first = activities.calendarCheckConflicts();
    ConflictCheck again = activities.calendarCheckConflicts();

    assertThat(first.flagged()).isEqualTo(1);
    assertThat(again.flagged()).isZero();
    assertThat(again.open()).isEqualTo(1);
    assertThat(conflicts()).containsExactly(new Conflict(ORDER, "evt-a", true, null));

    jdbc.sql("UPDATE orders SET status = 'CANCELLED' WHERE id = :id").param("id", ORDER).update();
    ConflictCheck afterCancel = activities.calendarCheckConflicts();

    assertThat(afterCancel.cleared()).isEqualTo(1);
    assertThat(afterCancel.open()).isZero();
    assertThat(conflicts())
        .containsExactly(new Conflict(ORDER, "evt-a", false, "ORDER_NOT_ACTIVE"));
  }

  @Test
  void aConflictIsClearedWhenItsEventMovesAwayOrIsDeleted() {
    order(ORDER, 6001, "ACTIVE", at(10), at(14));
    order(ORDER + 1, 6002, "ACTIVE", at(10), at(14));
    google.putEvent(FLEET_CALENDAR, "evt-a", at(9), at(12), "6001");
    google.putEvent(FLEET_CALENDAR, "evt-b", at(9), at(12), "6002");
    activities.calendarSyncIntegration(FLEET);
    assertThat(activities.calendarCheckConflicts().flagged()).isEqualTo(2);

    google.moveEvent(FLEET_CALENDAR, "evt-a", at(20), at(22));
    google.deleteEvent(FLEET_CALENDAR, "evt-b");
    activities.calendarSyncIntegration(FLEET);
    ConflictCheck check = activities.calendarCheckConflicts();

    assertThat(check.cleared()).isEqualTo(2);
    assertThat(check.flagged()).isZero();
    assertThat(conflicts())
        .containsExactlyInAnyOrder(
            new Conflict(ORDER, "evt-a", false, "BLOCK_MOVED"),
            new Conflict(ORDER + 1, "evt-b", false, "BLOCK_DELETED"));
  }
}
