package com.marketplace.jobs.api.plans;

import com.marketplace.jobs.plans.LimitUsage;
import java.sql.Array;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Reads plan usage: the figures counted now (so a publication is refused the moment the limit is
 * reached, not only after the next daily check), the flag and the holdbacks as the latest check
 * left them.
 */
@Repository
public class TenantUsages {

  /** Held-back ids /ops/tenants shows per tenant. */
  static final int IDS_SHOWN = 50;

  private final JdbcClient jdbc;

  TenantUsages(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  private record Row(
      long id,
      String plan,
      LimitUsage vehicles,
      LimitUsage companies,
      boolean overLimit,
      OffsetDateTime overSince,
      OffsetDateTime checkedAt) {}

  public Optional<TenantUsage> find(long tenantId) {
    Optional<Row> row =
        jdbc.sql(
                """
                SELECT t.id, t.plan, t.vehicle_limit, t.company_limit,
                       (SELECT count(*) FROM vehicles v JOIN companies c ON c.id = v.company_id
                         WHERE c.tenant_id = t.id AND v.published) AS published,
                       (SELECT count(*) FROM companies c
                         WHERE c.tenant_id = t.id AND c.status = 'ACTIVE') AS companies,
                       coalesce(s.over_limit, false) AS over_limit, s.over_since, s.checked_at
                  FROM tenants t LEFT JOIN tenant_limit_states s ON s.tenant_id = t.id
                 WHERE t.id = :tenant
                """)
            .param("tenant", tenantId)
            .query(
                (rs, n) -> {
                  Integer companyLimit = (Integer) rs.getObject("company_limit");
                  return new Row(
                      rs.getLong("id"),
                      rs.getString("plan"),
                      new LimitUsage(rs.getLong("published"), rs.getLong("vehicle_limit")),
                      companyLimit == null
                          ? null
                          : new LimitUsage(rs.getLong("companies"), companyLimit),
                      rs.getBoolean("over_limit"),
                      rs.getObject("over_since", OffsetDateTime.class),
                      rs.getObject("checked_at", OffsetDateTime.class));
                })
            .optional();
    return row.map(this::usage);
  }

  private TenantUsage usage(Row row) {
    List<Long> heldBack =
        jdbc.sql(
                """
                SELECT vehicle_id FROM plan_holdbacks
                 WHERE tenant_id = :tenant AND released_at IS NULL ORDER BY vehicle_id
                """)
            .param("tenant", row.id())
            .query(Long.class)
            .list();
    Map<String, TenantUsage.Limit> limits = new LinkedHashMap<>();
    limits.put("publishedVehicles", limit(row.vehicles()));
    if (row.companies() != null) {
      limits.put("activeCompanies", limit(row.companies()));
    }
    boolean warning =
        row.vehicles().warning() || (row.companies() != null && row.companies().warning());
    boolean canPublish = !row.vehicles().reached();
    boolean canAddCompany = row.companies() == null || !row.companies().reached();
    return new TenantUsage(
        row.id(),
        row.plan(),
        limits,
        warning,
        row.overLimit(),
        row.overSince(),
        row.checkedAt(),
        canPublish,
        canAddCompany,
        message(row, heldBack.size()),
        heldBack);
  }

  private static TenantUsage.Limit limit(LimitUsage usage) {
    return new TenantUsage.Limit(
        usage.used(), usage.limit(), usage.percent(), usage.warning(), usage.reached());
  }

  /** What the platform shows: the refusal first, then the warning, else that all is well. */
  static String message(Row row, int heldBack) {
    LimitUsage vehicles = row.vehicles();
    LimitUsage companies = row.companies();
    List<String> parts = new ArrayList<>();
    if (vehicles.reached()) {
      parts.add(
          "The "
              + row.plan()
              + " plan allows "
              + vehicles.limit()
              + " published vehicles and "
              + vehicles.used()
              + " are published: no more vehicles can be published.");
    }
    if (companies != null && companies.reached()) {
      parts.add(
          "The "
              + row.plan()
              + " plan allows "
              + companies.limit()
              + " active companies and there are "
              + companies.used()
              + ": no more companies can be added.");
    }
    if (heldBack > 0) {
      parts.add(
          heldBack
              + (heldBack == 1 ? " vehicle" : " vehicles")
              + " published beyond the limit "
              + (heldBack == 1 ? "is" : "are")
              + " held back from the marketplace and search until the tenant is back under it.");
    }
    if (!parts.isEmpty()) {
      parts.add("Upgrade the plan or unpublish vehicles to publish again.");
      return String.join(" ", parts);
    }
    if (vehicles.warning()) {
      return vehicles.percent()
          + "% of the "
          + row.plan()
          + " plan's vehicle limit is used ("
          + vehicles.used()
          + " of "
          + vehicles.limit()
          + " published vehicles).";
    }
    if (companies != null && companies.warning()) {
      return companies.percent()
          + "% of the "
          + row.plan()
          + " plan's company limit is used ("
          + companies.used()
          + " of "
          + companies.limit()
          + " active companies).";
    }
    return "Within the " + row.plan() + " plan's limits.";
  }

  /**
   * The tenants the latest check found at 80% or more or over a limit, or that hold vehicles back:
   * over-limit ones first, then by vehicle usage.
   */
  public List<FlaggedTenant> flagged() {
    return jdbc.sql(
            """
            SELECT t.id, t.name, t.plan, s.published_vehicles, s.vehicle_limit,
                   s.active_companies, s.company_limit, s.over_limit, s.over_since, s.checked_at,
                   (SELECT array_agg(vehicle_id ORDER BY vehicle_id) FROM (
                      SELECT vehicle_id FROM plan_holdbacks h
                       WHERE h.tenant_id = t.id AND h.released_at IS NULL
                       ORDER BY vehicle_id LIMIT :shown) ids) AS held_ids,
                   (SELECT count(*) FROM plan_holdbacks h
                     WHERE h.tenant_id = t.id AND h.released_at IS NULL) AS held_count
              FROM tenant_limit_states s JOIN tenants t ON t.id = s.tenant_id
             WHERE s.warning OR s.over_limit
                OR EXISTS (SELECT 1 FROM plan_holdbacks h WHERE h.tenant_id = t.id)
             ORDER BY s.over_limit DESC,
                      s.published_vehicles::numeric / greatest(s.vehicle_limit, 1) DESC, t.id
            """)
        .param("shown", IDS_SHOWN)
        .query(
            (rs, n) ->
                new FlaggedTenant(
                    rs.getLong("id"),
                    rs.getString("name"),
                    rs.getString("plan"),
                    rs.getInt("published_vehicles"),
                    rs.getInt("vehicle_limit"),
                    rs.getInt("active_companies"),
                    (Integer) rs.getObject("company_limit"),
                    rs.getBoolean("over_limit"),
                    rs.getObject("over_since", OffsetDateTime.class),
                    rs.getObject("checked_at", OffsetDateTime.class),
                    ids(rs.getArray("held_ids")),
                    rs.getInt("held_count")))
        .list();
  }

  private static List<Long> ids(Array array) throws SQLException {
    if (array == null) {
      return List.of();
    }
    return Arrays.asList((Long[]) array.getArray());
  }
}
