package com.marketplace.jobs.benchmarks;

import com.marketplace.jobs.devstack.DemoData;
import com.marketplace.jobs.devstack.GoogleCalendarFake;
import com.marketplace.jobs.devstack.LocalStack;
import com.marketplace.jobs.security.codec.PayloadEncryption;
import com.marketplace.jobs.system.Sql;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The calendar figures of issue 14, on the whole stack (the worker runs {@code
 * CalendarSyncWorkflow} against the Google Calendar fake through Google's client, on PostgreSQL):
 * 100 integrations of 1,000 events each. A first run syncs every calendar in full; then 1% of the
 * events change (moved, deleted, added) and a second run syncs incrementally. Prints seconds from
 * start to result and the calls the fake received for each.
 */
final class CalendarSyncBenchmark {

  private static final int INTEGRATIONS = 100;
  private static final int EVENTS = 1_000;
  private static final int VEHICLES = 20;
  private static final long FIRST_COMPANY = 7_000;
  private static final String CALENDAR_PREFIX = "bench-calendar-";

  private CalendarSyncBenchmark() {}

  static void run(LocalStack stack) throws Exception {
    Sql sql = new Sql(stack.database().dataSource());
    GoogleCalendarFake google = stack.calendar();
    Instant base = Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);
    long seeding = System.nanoTime();
    for (int i = 0; i < INTEGRATIONS; i++) {
      long company = FIRST_COMPANY + i;
      DemoData.seedFleet(stack.database().dataSource(), company, VEHICLES);
      sql.update(
          "INSERT INTO calendar_integrations (company_id, google_calendar_id) VALUES (?, ?)",
          company,
          calendar(i));
      // One ACTIVE order per company, overlapped by the company's first event: 100 conflicts.
      sql.update(
          "INSERT INTO orders (id, company_id, vehicle_id, status, starts_at, ends_at)"
              + " VALUES (?, ?, ?, 'ACTIVE', ?, ?)",
          company * 1_000_000,
          company,
          company * 1_000_000 + 1,
          java.time.OffsetDateTime.ofInstant(base, java.time.ZoneOffset.UTC),
          java.time.OffsetDateTime.ofInstant(
              base.plus(2, ChronoUnit.HOURS), java.time.ZoneOffset.UTC));
      for (int e = 0; e < EVENTS; e++) {
        Instant start = base.plus(e * 3L, ChronoUnit.HOURS);
        google.putEvent(
            calendar(i),
            "evt-" + e,
            start,
            start.plus(2, ChronoUnit.HOURS),
            Long.toString(company * 1_000_000 + 1 + (e % VEHICLES)));
      }
    }
    System.out.printf(
        "Calendar: seeded %d integrations x %,d events in %.1f s.%n",
        INTEGRATIONS, EVENTS, (System.nanoTime() - seeding) / 1e9);

    WorkflowServiceStubs stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(stack.temporal().target()).build());
    WorkflowClient client =
        WorkflowClient.newInstance(
            stubs,
            WorkflowClientOptions.newBuilder()
                .setNamespace("default")
                .setDataConverter(PayloadEncryption.dataConverter(LocalStack.PAYLOAD_KEYS))
                .build());

    google.resetCalls();
    Result full = syncOnce(client);
    long fullCalls = benchCalls(google);
    long blocks =
        sql.count(
            "SELECT count(*) FROM vehicle_availability_blocks b JOIN calendar_integrations i"
                + " ON i.id = b.integration_id WHERE i.google_calendar_id LIKE ?"
                + " AND b.deleted_at IS NULL",
            CALENDAR_PREFIX + "%");

    // 1% of the events change: 5 moved, 3 deleted, 2 added per calendar.
    for (int i = 0; i < INTEGRATIONS; i++) {
      for (int e = 0; e < 5; e++) {
        Instant start = base.plus(5000L + e, ChronoUnit.HOURS);
        google.moveEvent(calendar(i), "evt-" + (100 + e), start, start.plusSeconds(1800));
      }
      for (int e = 0; e < 3; e++) {
        google.deleteEvent(calendar(i), "evt-" + (200 + e));
      }
      for (int e = 0; e < 2; e++) {
        Instant start = base.plus(6000L + e, ChronoUnit.HOURS);
        google.putEvent(calendar(i), "evt-new-" + e, start, start.plusSeconds(3600), null);
      }
    }
    google.resetCalls();
    Result incremental = syncOnce(client);
    long incrementalCalls = benchCalls(google);
    long conflicts =
        sql.count(
            "SELECT count(*) FROM calendar_conflicts WHERE cleared_at IS NULL AND company_id >= ?"
                + " AND company_id < ?",
            FIRST_COMPANY,
            FIRST_COMPANY + INTEGRATIONS);

    System.out.printf(
        "%nCalendar sync of %d integrations x %,d events (Google's client -> fake, page size 250):%n",
        INTEGRATIONS, EVENTS);
    System.out.printf(
        "  first (full) sync:        %.1f s, %,d API calls, %,d blocks, summary %s%n",
        full.seconds(), fullCalls, blocks, full.summary());
    System.out.printf(
        "  incremental run (1%% changed): %.1f s, %,d API calls, summary %s%n",
        incremental.seconds(), incrementalCalls, incremental.summary());
    System.out.printf(
        "  open conflicts:           %d (one overlapping order per company)%n", conflicts);
    stubs.shutdown();
  }

  private record Result(double seconds, Map<String, Object> summary) {}

  private static Result syncOnce(WorkflowClient client) throws Exception {
    WorkflowStub run =
        client.newUntypedWorkflowStub(
            "CalendarSyncWorkflow",
            WorkflowOptions.newBuilder()
                .setTaskQueue("background-jobs")
                .setWorkflowId("calendar-sync-bench-" + UUID.randomUUID())
                .build());
    long started = System.nanoTime();
    run.start();
    @SuppressWarnings("unchecked")
    Map<String, Object> summary = run.getResult(30, TimeUnit.MINUTES, Map.class);
    return new Result((System.nanoTime() - started) / 1e9, summary);
  }

  private static long benchCalls(GoogleCalendarFake google) {
    List<GoogleCalendarFake.Call> calls = google.calls();
    return calls.stream().filter(c -> c.calendarId().startsWith(CALENDAR_PREFIX)).count();
  }

  private static String calendar(int i) {
    return CALENDAR_PREFIX + i + "@group.calendar.google.com";
  }
}
