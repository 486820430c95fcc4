package com.marketplace.jobs.api.calendar;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Reads the calendar conflicts, newest first. */
@Component
public class CalendarConflicts {

  /** Which conflicts to list. */
  public enum Status {
    OPEN,
    CLEARED,
    ALL;

    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final JdbcClient jdbc;

  CalendarConflicts(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * @param companyId null: every company
   */
  public List<CalendarConflictView> find(Status status, Long companyId, int limit) {
    return jdbc.sql(
            """
            SELECT c.id, c.company_id, c.vehicle_id, c.order_id, o.status AS order_status,
                   c.integration_id, c.google_event_id, c.block_starts_at, c.block_ends_at,
                   c.order_starts_at, c.order_ends_at, c.detected_at, c.cleared_at,
                   c.cleared_reason
              FROM calendar_conflicts c JOIN orders o ON o.id = c.order_id
             WHERE (:status = 'all' OR (:status = 'open') = (c.cleared_at IS NULL))
               AND (CAST(:company AS bigint) IS NULL OR c.company_id = :company)
             ORDER BY c.detected_at DESC, c.id DESC
             LIMIT :limit
            """)
        .param("status", status.id())
        .param("company", companyId)
        .param("limit", limit)
        .query(CalendarConflicts::view)
        .list();
  }

  private static CalendarConflictView view(ResultSet rs, int row) throws SQLException {
    return new CalendarConflictView(
        rs.getLong("id"),
        rs.getTimestamp("cleared_at") == null ? "open" : "cleared",
        rs.getLong("company_id"),
        rs.getLong("vehicle_id"),
        rs.getLong("order_id"),
        rs.getString("order_status"),
        rs.getLong("integration_id"),
        rs.getString("google_event_id"),
        instant(rs.getTimestamp("block_starts_at")),
        instant(rs.getTimestamp("block_ends_at")),
        instant(rs.getTimestamp("order_starts_at")),
        instant(rs.getTimestamp("order_ends_at")),
        instant(rs.getTimestamp("detected_at")),
        instant(rs.getTimestamp("cleared_at")),
        rs.getString("cleared_reason"));
  }

  private static Instant instant(Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }
}
