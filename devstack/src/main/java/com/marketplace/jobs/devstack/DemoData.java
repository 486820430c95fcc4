package com.marketplace.jobs.devstack;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;

/**
 * Demo data for the development stack and the tests: two tenants, four companies (company 101 has
 * 250 vehicles and 300 orders, some vehicles unpublished and some orders already completed or
 * cancelled), customers in several time zones with distinctive names (the system tests look for
 * them in every log line, as whole words), vehicle due dates a few days to weeks ahead. Idempotent:
 * rows are inserted once by fixed ids (or natural keys), except that customers 1 to 3 always have
 * their birthday today and the due dates are written relative to today (a later day adds that day's
 * set).
 */
public final class DemoData {

  private static final List<String> STATEMENTS =
      List.of(
          """
          INSERT INTO tenants (id, name, plan, vehicle_limit) VALUES
            (1, 'Sunny Rentals', 'pro', 1000),
            (2, 'Alpine Cars', 'basic', 100)
          ON CONFLICT (id) DO NOTHING
          """,
          // Plan limits: the tenant administrators' addresses, and Alpine Cars (companies 201 and
          // 202: 20 published vehicles) on a plan of 24 (83%): the plan-limit checks warn its
          // administrator.
          """
          UPDATE tenants SET admin_email = 'admin@sunny-rentals.example'
           WHERE id = 1 AND admin_email IS NULL
          """,
          """
          UPDATE tenants SET admin_email = 'admin@alpine-cars.example', vehicle_limit = 24
           WHERE id = 2 AND admin_email IS NULL
          """,
          """
          INSERT INTO companies (id, tenant_id, name, email, status, marketplace_enabled) VALUES
            (101, 1, 'Sunny Rentals Downtown', 'downtown@sunny-rentals.example', 'ACTIVE', true),
            (102, 1, 'Sunny Rentals Airport', 'airport@sunny-rentals.example', 'ACTIVE', false),
            (201, 2, 'Alpine Cars Zurich', 'zurich@alpine-cars.example', 'ACTIVE', true),
            (202, 2, 'Alpine Vans', 'vans@alpine-cars.example', 'ACTIVE', false)
          ON CONFLICT (id) DO NOTHING
          """,
          """
          INSERT INTO vehicle_models (id, tenant_id, name, marketplace_enabled) VALUES
            (11, 1, 'Compact', true), (12, 1, 'SUV', true), (13, 1, 'Convertible', false),
            (21, 2, 'Van', true), (22, 2, 'Estate', false)
          ON CONFLICT (id) DO NOTHING
          """,
          // Company 101: 250 vehicles, every tenth one unpublished by its owner.
          """
          INSERT INTO vehicles (id, company_id, model_id, published)
          SELECT 100000 + n, 101, 11 + (n % 3), n % 10 <> 0 FROM generate_series(1, 250) AS n
          ON CONFLICT (id) DO NOTHING
          """,
          """
          INSERT INTO vehicles (id, company_id, model_id, published)
          SELECT 200000 + n, 102, 11 + (n % 2), true FROM generate_series(1, 20) AS n
          UNION ALL
          SELECT 300000 + n, 201, 21, true FROM generate_series(1, 15) AS n
          UNION ALL
          SELECT 400000 + n, 202, 21 + (n % 2), true FROM generate_series(1, 5) AS n
          ON CONFLICT (id) DO NOTHING
          """,
          // Company 101: 300 orders; every seventh completed, every eleventh cancelled.
          """
          INSERT INTO orders (id, company_id, vehicle_id, status)
          SELECT 100000 + n, 101, 100000 + 1 + (n % 250),
                 CASE WHEN n % 7 = 0 THEN 'COMPLETED' WHEN n % 11 = 0 THEN 'CANCELLED'
                      ELSE 'ACTIVE' END
            FROM generate_series(1, 300) AS n
          ON CONFLICT (id) DO NOTHING
          """,
          """
          INSERT INTO orders (id, company_id, vehicle_id, status)
          SELECT 200000 + n, 102, 200000 + n, 'ACTIVE' FROM generate_series(1, 10) AS n
          ON CONFLICT (id) DO NOTHING
          """,
          """
          INSERT INTO customers (id, tenant_id, email, first_name, birth_date, time_zone) VALUES
            (1, 1, 'annelie.berger@example.com', 'Annelie', '1990-01-01', 'Europe/Berlin'),
            (2, 1, 'benedikt.carter@example.com', 'Benedikt', '1985-01-01', 'America/New_York'),
            (3, 2, 'chiara.rossi@example.com', 'Chiara', '1992-01-01', 'Asia/Tokyo'),
            (4, 1, 'dariusz.okafor@example.com', 'Dariusz', '1979-03-14', 'Africa/Lagos'),
            (5, 1, 'emmeline.schmidt@example.com', 'Emmeline', '2000-07-30', 'Europe/Berlin'),
            (6, 2, 'felicitas.muller@example.com', 'Felicitas', '1995-11-02', 'Europe/Zurich'),
            (7, 2, 'griselda.lee@example.com', 'Griselda', '1988-05-21', 'Australia/Sydney'),
            (8, 1, 'hugolin.martin@example.com', 'Hugolin', NULL, 'America/Los_Angeles'),
            (42, 1, 'jamila.doe@example.com', 'Jamila', '1991-09-09', 'UTC')
          ON CONFLICT (id) DO NOTHING
          """,
          // Vehicle due dates around today: with the default 7-day lead the vehicle reminders run
          // of today reminds companies 101 and 201 of the two due in a week, and no other.
          """
          INSERT INTO vehicle_due_dates (vehicle_id, kind, due_on) VALUES
            (100001, 'INSPECTION', current_date + 7),
            (100002, 'INSURANCE', current_date + 30),
            (200001, 'MAINTENANCE', current_date + 3),
            (300001, 'INSPECTION', current_date + 7),
            (400001, 'INSURANCE', current_date + 60)
          ON CONFLICT DO NOTHING
          """,
          // Pending vehicle purchases for the purchase-status checks: the fake provider calls every
          // reference pending until told otherwise; the one requested ten days ago is past the
          // default 7-day stuck limit, so the first check flags it and emails company 201 once.
          """
          INSERT INTO vehicle_purchases (vehicle_id, company_id, provider_reference, requested_at)
          VALUES
            (100003, 101, 'demo-purchase-101-1', now() - interval '2 hours'),
            (100004, 101, 'demo-purchase-101-2', now() - interval '3 days'),
            (300002, 201, 'demo-purchase-201-1', now() - interval '10 days')
          ON CONFLICT DO NOTHING
          """,
          // Calendar sync: company 101's Google Calendar (events in the fake, seedCalendar), and a
          // period for order 100001 (ACTIVE, vehicle 100002) that one of its events overlaps.
          """
          INSERT INTO calendar_integrations (company_id, google_calendar_id)
          VALUES (101, 'downtown-fleet@group.calendar.google.com')
          ON CONFLICT (company_id, google_calendar_id) DO NOTHING
          """,
          """
          UPDATE orders
             SET starts_at = date_trunc('day', now()) + interval '1 day 10 hours',
                 ends_at = date_trunc('day', now()) + interval '3 days 10 hours'
           WHERE id = 100001 AND starts_at IS NULL
          """,
          """
          UPDATE customers
             SET birth_date = make_date(extract(year FROM birth_date)::int,
                                        extract(month FROM current_date)::int,
                                        extract(day FROM current_date)::int)
           WHERE id IN (1, 2, 3)
             AND (extract(month FROM current_date) <> 2 OR extract(day FROM current_date) <> 29)
          """);

  /** Company 101's Google Calendar, as the demo integration names it. */
  public static final String CALENDAR_ID = "downtown-fleet@group.calendar.google.com";

  /** The demo order that a calendar event overlaps (ACTIVE, vehicle 100002). */
  public static final long CALENDAR_CONFLICT_ORDER = 100001;

  private DemoData() {}

  /**
   * Company 101's calendar in the Google Calendar fake: four events around its demo order's period,
   * each naming its vehicle in the private extended property {@code vehicleId}; the first overlaps
   * order 100001 (so the first calendar sync flags one conflict), one names no vehicle.
   */
  public static void seedCalendar(DataSource dataSource, GoogleCalendarFake calendar) {
    java.time.Instant orderStart;
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement();
        var rows =
            statement.executeQuery(
                "SELECT starts_at FROM orders WHERE id = " + CALENDAR_CONFLICT_ORDER)) {
      rows.next();
      orderStart = rows.getObject(1, java.time.OffsetDateTime.class).toInstant();
    } catch (SQLException e) {
      throw new IllegalStateException("could not read the demo order: " + e.getMessage(), e);
    }
    java.time.Duration hour = java.time.Duration.ofHours(1);
    calendar.putEvent(
        CALENDAR_ID,
        "demo-private-hire-100002",
        orderStart.plus(hour.multipliedBy(2)),
        orderStart.plus(hour.multipliedBy(6)),
        "100002");
    calendar.putEvent(
        CALENDAR_ID,
        "demo-maintenance-100005",
        orderStart.plus(hour.multipliedBy(24)),
        orderStart.plus(hour.multipliedBy(30)),
        "100005");
    calendar.putEvent(
        CALENDAR_ID,
        "demo-detailing-100007",
        orderStart.plus(hour.multipliedBy(48)),
        orderStart.plus(hour.multipliedBy(50)),
        "100007");
    calendar.putEvent(
        CALENDAR_ID,
        "demo-team-meeting",
        orderStart.minus(hour.multipliedBy(2)),
        orderStart.minus(hour),
        null);
  }

  public static void seed(DataSource dataSource) {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try (Statement statement = connection.createStatement()) {
        for (String sql : STATEMENTS) {
          statement.execute(sql);
        }
      }
      connection.commit();
    } catch (SQLException e) {
      throw new IllegalStateException("could not seed the demo data: " + e.getMessage(), e);
    }
  }

  /**
   * A large fleet for bulk tests and benchmarks: company {@code companyId} (tenant 1, "Fleet
   * {companyId}") with {@code vehicles} published vehicles, ids {@code companyId * 1,000,000 + 1}
   * onwards. Idempotent; one set-based statement each, so 100,000 vehicles take a second or two.
   */
  public static void seedFleet(DataSource dataSource, long companyId, int vehicles) {
    try (Connection connection = dataSource.getConnection();
        var company =
            connection.prepareStatement(
                """
                INSERT INTO companies (id, tenant_id, name, email, status, marketplace_enabled)
                VALUES (?, 1, 'Fleet ' || ?, 'fleet' || ? || '@sunny-rentals.example', 'ACTIVE',
                        false)
                ON CONFLICT (id) DO NOTHING
                """);
        var fleet =
            connection.prepareStatement(
                """
                INSERT INTO vehicles (id, company_id, model_id, published)
                SELECT ? * 1000000 + n, ?, 11 + (n % 3), true FROM generate_series(1, ?) AS n
                ON CONFLICT (id) DO NOTHING
                """)) {
      company.setLong(1, companyId);
      company.setLong(2, companyId);
      company.setLong(3, companyId);
      company.executeUpdate();
      fleet.setLong(1, companyId);
      fleet.setLong(2, companyId);
      fleet.setInt(3, vehicles);
      fleet.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("could not seed the fleet: " + e.getMessage(), e);
    }
  }
}
