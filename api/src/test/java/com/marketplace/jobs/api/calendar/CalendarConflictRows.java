package com.marketplace.jobs.api.calendar;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Rows for the conflict pages' tests: company 7101 (vehicles 710001-710002) with three conflicts
 * (ids 1 and 2 open, 3 cleared), company 7102 with one open conflict (id 4).
 */
public final class CalendarConflictRows {

  private CalendarConflictRows() {}

  public static void insert(JdbcClient jdbc) {
    jdbc.sql("DELETE FROM calendar_conflicts").update();
    jdbc.sql("DELETE FROM vehicle_availability_blocks").update();
    jdbc.sql("DELETE FROM calendar_integrations").update();
    jdbc.sql("DELETE FROM orders WHERE id BETWEEN 7100000 AND 7199999").update();
    jdbc.sql(
            """
            INSERT INTO tenants (id, name, plan, vehicle_limit) VALUES (71, 'Cal', 'pro', 10)
            ON CONFLICT (id) DO NOTHING;
            INSERT INTO companies (id, tenant_id, name, email, status) VALUES
              (7101, 71, 'Cal One', 'one@cal.test', 'ACTIVE'),
              (7102, 71, 'Cal Two', 'two@cal.test', 'ACTIVE')
            ON CONFLICT (id) DO NOTHING;
            INSERT INTO vehicle_models (id, tenant_id, name) VALUES (71, 71, 'Cab')
            ON CONFLICT (id) DO NOTHING;
            INSERT INTO vehicles (id, company_id, model_id) VALUES
              (710001, 7101, 71), (710002, 7101, 71), (720001, 7102, 71)
            ON CONFLICT (id) DO NOTHING;
            INSERT INTO orders (id, company_id, vehicle_id, status, starts_at, ends_at) VALUES
              (7100001, 7101, 710001, 'ACTIVE', '2027-05-01T10:00Z', '2027-05-01T14:00Z'),
              (7100002, 7101, 710002, 'ACTIVE', '2027-05-02T10:00Z', '2027-05-02T14:00Z'),
              (7100003, 7101, 710001, 'CANCELLED', '2027-05-03T10:00Z', '2027-05-03T14:00Z'),
              (7100004, 7102, 720001, 'ACTIVE', '2027-05-04T10:00Z', '2027-05-04T14:00Z');
            INSERT INTO calendar_integrations (id, company_id, google_calendar_id) VALUES
              (71, 7101, 'one@group.calendar.google.com'),
              (72, 7102, 'two@group.calendar.google.com');
            INSERT INTO vehicle_availability_blocks
                   (id, integration_id, google_event_id, vehicle_id, starts_at, ends_at) VALUES
              (711, 71, 'evt-one-a', 710001, '2027-05-01T09:00Z', '2027-05-01T11:00Z'),
              (712, 71, 'evt-one-b', 710002, '2027-05-02T13:00Z', '2027-05-02T15:00Z'),
              (713, 71, 'evt-one-c', 710001, '2027-05-03T09:00Z', '2027-05-03T11:00Z'),
              (721, 72, 'evt-two-a', 720001, '2027-05-04T09:00Z', '2027-05-04T11:00Z');
            INSERT INTO calendar_conflicts
                   (id, block_id, order_id, integration_id, company_id, vehicle_id,
                    google_event_id, block_starts_at, block_ends_at, order_starts_at,
                    order_ends_at, detected_at, cleared_at, cleared_reason) VALUES
              (1, 711, 7100001, 71, 7101, 710001, 'evt-one-a', '2027-05-01T09:00Z',
               '2027-05-01T11:00Z', '2027-05-01T10:00Z', '2027-05-01T14:00Z',
               '2027-04-01T08:00Z', NULL, NULL),
              (2, 712, 7100002, 71, 7101, 710002, 'evt-one-b', '2027-05-02T13:00Z',
               '2027-05-02T15:00Z', '2027-05-02T10:00Z', '2027-05-02T14:00Z',
               '2027-04-01T09:00Z', NULL, NULL),
              (3, 713, 7100003, 71, 7101, 710001, 'evt-one-c', '2027-05-03T09:00Z',
               '2027-05-03T11:00Z', '2027-05-03T10:00Z', '2027-05-03T14:00Z',
               '2027-04-01T07:00Z', '2027-04-01T07:30Z', 'ORDER_NOT_ACTIVE'),
              (4, 721, 7100004, 72, 7102, 720001, 'evt-two-a', '2027-05-04T09:00Z',
               '2027-05-04T11:00Z', '2027-05-04T10:00Z', '2027-05-04T14:00Z',
               '2027-04-01T10:00Z', NULL, NULL)
            """)
        .update();
  }
}
