package com.marketplace.jobs.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.marketplace.jobs.devstack.GoogleCalendarFake;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The calendar sync through its Temporal Schedule (triggered through the api), the real worker, dev
 * server and PostgreSQL, and the Google Calendar fake reached by Google's client: a company's
 * calendar becomes availability blocks, the block overlapping its active order shows once in {@code
 * GET /api/calendar/conflicts}, a moved event is picked up incrementally, and cancelling the order
 * clears the conflict on the next run.
 */
class CalendarSyncIT extends StackTest {

  private static final long TENANT = 9801;
  private static final long COMPANY = 980101;
  private static final long VEHICLE = COMPANY * 10 + 1;
  private static final long OTHER_VEHICLE = COMPANY * 10 + 2;
  private static final long ORDER = COMPANY * 10 + 1;
  private static final String CALENDAR = "it-fleet-980101@group.calendar.google.com";

  private Instant lastTrigger = Instant.EPOCH;

  @Test
  void aBlockOverlappingAnActiveOrderIsFlaggedOnceAndClearedWhenTheOrderIsCancelled() {
    Instant orderStart = Instant.now().plus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);
    seedCompanyWithAnActiveOrder(orderStart, orderStart.plus(8, ChronoUnit.HOURS));
    GoogleCalendarFake google = stack.calendar();
    google.putEvent(
        CALENDAR,
        "it-overlap",
        orderStart.plus(2, ChronoUnit.HOURS),
        orderStart.plus(4, ChronoUnit.HOURS),
        Long.toString(VEHICLE));
    google.putEvent(
        CALENDAR,
        "it-elsewhere",
        orderStart.plus(2, ChronoUnit.HOURS),
        orderStart.plus(4, ChronoUnit.HOURS),
        Long.toString(OTHER_VEHICLE));
    int callsBefore = callsFor(google);

    JsonNode first = runCalendarSync();

    assertThat(first.path("integrations").asInt()).isGreaterThanOrEqualTo(1);
    assertThat(blocks())
        .containsExactlyInAnyOrder(
            Map.of("google_event_id", "it-elsewhere", "vehicle_id", OTHER_VEHICLE, "live", true),
            Map.of("google_event_id", "it-overlap", "vehicle_id", VEHICLE, "live", true));
    JsonNode open = conflicts("open");
    assertThat(open.path("count").asInt()).isEqualTo(1);
    JsonNode conflict = open.path("conflicts").get(0);
    assertThat(conflict.path("orderId").asLong()).isEqualTo(ORDER);
    assertThat(conflict.path("vehicleId").asLong()).isEqualTo(VEHICLE);
    assertThat(conflict.path("googleEventId").asText()).isEqualTo("it-overlap");
    assertThat(conflict.path("status").asText()).isEqualTo("open");
    assertThat(Instant.parse(conflict.path("blockStartsAt").asText()))
        .isEqualTo(orderStart.plus(2, ChronoUnit.HOURS));
    assertThat(
            google.calls().stream().skip(callsBefore).filter(c -> c.calendarId().equals(CALENDAR)))
        .singleElement()
        .satisfies(call -> assertThat(call.incremental()).isFalse());

    // A second run with nothing changed: incremental, and the conflict is not recorded again.
    google.putEvent(
        CALENDAR,
        "it-later",
        orderStart.plus(30, ChronoUnit.HOURS),
        orderStart.plus(31, ChronoUnit.HOURS),
        Long.toString(VEHICLE));
    int beforeSecond = google.calls().size();
    runCalendarSync();
    assertThat(conflicts("open").path("count").asInt()).isEqualTo(1);
    assertThat(conflicts("all").path("count").asInt()).isEqualTo(1);
    assertThat(blocks()).hasSize(3);
    assertThat(
            google.calls().stream().skip(beforeSecond).filter(c -> c.calendarId().equals(CALENDAR)))
        .singleElement()
        .satisfies(call -> assertThat(call.incremental()).isTrue());

    // The order is cancelled on the platform: the next run clears the conflict, with the reason.
    sql.update("UPDATE orders SET status = 'CANCELLED' WHERE id = ?", ORDER);
    runCalendarSync();

    assertThat(conflicts("open").path("count").asInt()).isZero();
    JsonNode cleared = conflicts("cleared");
    assertThat(cleared.path("count").asInt()).isEqualTo(1);
    assertThat(cleared.path("conflicts").get(0).path("clearedReason").asText())
        .isEqualTo("ORDER_NOT_ACTIVE");
    assertThat(cleared.path("conflicts").get(0).path("orderStatus").asText())
        .isEqualTo("CANCELLED");
    assertThat(cleared.path("conflicts").get(0).path("clearedAt").isTextual()).isTrue();
  }

  private static int callsFor(GoogleCalendarFake google) {
    return google.calls().size();
  }

  private void seedCompanyWithAnActiveOrder(Instant start, Instant end) {
    sql.update(
        "INSERT INTO tenants (id, name, plan, vehicle_limit) VALUES (?, 'Meadow', 'pro', 10)"
            + " ON CONFLICT DO NOTHING",
        TENANT);
    sql.update(
        "INSERT INTO companies (id, tenant_id, name, email) VALUES (?, ?, 'Meadow Rentals',"
            + " 'fleet@meadow-rentals.test') ON CONFLICT DO NOTHING",
        COMPANY,
        TENANT);
    sql.update(
        "INSERT INTO vehicle_models (id, tenant_id, name) VALUES (?, ?, 'Camper')"
            + " ON CONFLICT DO NOTHING",
        COMPANY,
        TENANT);
    for (long vehicle : new long[] {VEHICLE, OTHER_VEHICLE}) {
      sql.update(
          "INSERT INTO vehicles (id, company_id, model_id) VALUES (?, ?, ?)"
              + " ON CONFLICT DO NOTHING",
          vehicle,
          COMPANY,
          COMPANY);
    }
    sql.update(
        "INSERT INTO orders (id, company_id, vehicle_id, status, starts_at, ends_at)"
            + " VALUES (?, ?, ?, 'ACTIVE', ?, ?)",
        ORDER,
        COMPANY,
        VEHICLE,
        OffsetDateTime.ofInstant(start, ZoneOffset.UTC),
        OffsetDateTime.ofInstant(end, ZoneOffset.UTC));
    sql.update(
        "INSERT INTO calendar_integrations (company_id, google_calendar_id) VALUES (?, ?)",
        COMPANY,
        CALENDAR);
  }

  private List<Map<String, Object>> blocks() {
    return sql.rows(
        "SELECT b.google_event_id, b.vehicle_id, b.deleted_at IS NULL AS live"
            + " FROM vehicle_availability_blocks b JOIN calendar_integrations i"
            + " ON i.id = b.integration_id WHERE i.company_id = ? ORDER BY b.google_event_id",
        COMPANY);
  }

  private JsonNode conflicts(String status) {
    JsonHttp.Response response =
        api.get("/api/calendar/conflicts?status=" + status + "&companyId=" + COMPANY);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json();
  }

  /**
   * One run of the {@code calendar-sync} schedule, triggered through the api as an operator would
   * (the test stack keeps schedules paused; a trigger still runs), to its end: the run's result.
   */
  private JsonNode runCalendarSync() {
    // A triggered run's workflow id carries the trigger's second: one trigger per second.
    await().until(() -> Instant.now().getEpochSecond() > lastTrigger.getEpochSecond());
    lastTrigger = Instant.now();
    long runsBefore =
        sql.count("SELECT count(*) FROM schedule_runs WHERE schedule_id = 'calendar-sync'");
    JsonHttp.Response triggered = api.post("/api/schedules/calendar-sync/trigger", "");
    assertThat(triggered.status()).as(triggered.body()).isEqualTo(202);
    String[] workflowId = new String[1];
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> {
              List<Map<String, Object>> runs =
                  sql.rows(
                      "SELECT workflow_id, outcome FROM schedule_runs"
                          + " WHERE schedule_id = 'calendar-sync'"
                          + " ORDER BY scheduled_at DESC, started_at DESC");
              if (runs.size() <= runsBefore || !"COMPLETED".equals(runs.get(0).get("outcome"))) {
                return false;
              }
              workflowId[0] = (String) runs.get(0).get("workflow_id");
              return true;
            });
    return temporalClient().newUntypedWorkflowStub(workflowId[0]).getResult(JsonNode.class);
  }
}
