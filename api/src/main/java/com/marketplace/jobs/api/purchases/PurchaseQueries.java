package com.marketplace.jobs.api.purchases;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Reads {@code vehicle_purchases}; the worker's checks are the only writer besides the platform.
 */
@Component
class PurchaseQueries {

  /** The purchase statuses, as stored and as {@code ?status=} takes them. */
  static final List<String> STATUSES = List.of("PENDING", "COMPLETED", "FAILED");

  private static final String COLUMNS =
      """
      SELECT id, vehicle_id, company_id, provider_reference, status, requested_at,
             last_checked_at, last_check_error, completed_at, failed_at, failure_reason,
             stuck_flagged_at
        FROM vehicle_purchases
      """;

  private final JdbcClient jdbc;

  PurchaseQueries(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Newest (highest id) first.
   *
   * @param status null for every status
   * @param flagged null for both, true for flagged ones only, false for never flagged ones
   * @param companyId null for every company
   * @param before only ids below it; null from the newest
   */
  List<PurchaseView> list(String status, Boolean flagged, Long companyId, Long before, int limit) {
    return jdbc.sql(
            COLUMNS
                + """
                 WHERE (CAST(:status AS text) IS NULL OR status = :status)
                   AND (CAST(:flagged AS boolean) IS NULL
                        OR (stuck_flagged_at IS NOT NULL) = :flagged)
                   AND (CAST(:companyId AS bigint) IS NULL OR company_id = :companyId)
                   AND (CAST(:before AS bigint) IS NULL OR id < :before)
                 ORDER BY id DESC LIMIT :limit
                """)
        .param("status", status)
        .param("flagged", flagged)
        .param("companyId", companyId)
        .param("before", before)
        .param("limit", limit)
        .query(
            (rs, row) ->
                new PurchaseView(
                    rs.getLong("id"),
                    rs.getLong("vehicle_id"),
                    rs.getLong("company_id"),
                    rs.getString("provider_reference"),
                    rs.getString("status"),
                    rs.getObject("requested_at", OffsetDateTime.class),
                    rs.getObject("last_checked_at", OffsetDateTime.class),
                    rs.getString("last_check_error"),
                    rs.getObject("completed_at", OffsetDateTime.class),
                    rs.getObject("failed_at", OffsetDateTime.class),
                    rs.getString("failure_reason"),
                    rs.getObject("stuck_flagged_at", OffsetDateTime.class),
                    rs.getObject("stuck_flagged_at") != null
                        && "PENDING".equals(rs.getString("status"))))
        .list();
  }

  /** Purchases per status, every status present (0 when none). */
  Map<String, Long> counts() {
    Map<String, Long> counts = new TreeMap<>();
    STATUSES.forEach(status -> counts.put(status, 0L));
    jdbc.sql("SELECT status, count(*) AS n FROM vehicle_purchases GROUP BY status")
        .query((rs, row) -> Map.entry(rs.getString("status"), rs.getLong("n")))
        .list()
        .forEach(entry -> counts.put(entry.getKey(), entry.getValue()));
    return counts;
  }
}
