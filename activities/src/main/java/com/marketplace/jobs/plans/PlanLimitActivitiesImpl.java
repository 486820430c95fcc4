package com.marketplace.jobs.plans;

import com.marketplace.jobs.marketplace.MarketplaceClient;
import com.marketplace.jobs.notifications.EmailTemplate;
import com.marketplace.jobs.notifications.StaffMailer;
import com.marketplace.jobs.search.SearchIndex;
import com.marketplace.jobs.search.VehicleDocument;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The plan-limit checks over PostgreSQL, the marketplace, search and Mailgun. "At 80%" is a warning
 * (used × 100 ≥ 80 × limit); "at 100%" (used ≥ limit) marks the tenant over its limit and stops new
 * publications ({@code canPublish} false); the vehicles held back are those beyond the limit (used
 * &gt; limit): the published vehicles after the first {@code vehicle_limit} in vehicle id order, so
 * what was listed first stays listed.
 */
@Component
public class PlanLimitActivitiesImpl implements PlanLimitActivities {

  static final String WARNING_KIND = "plan_limit_warning";
  static final String REACHED_KIND = "plan_limit_reached";
  static final String LIFTED_KIND = "plan_limit_lifted";

  /** Vehicles per marketplace and search call: the marketplace's limit. */
  private static final int EXTERNAL_BATCH = MarketplaceClient.MAX_VEHICLES_PER_CALL;

  /** Held-back vehicle ids an email lists; the rest are counted. */
  private static final int IDS_IN_EMAIL = 200;

  private static final Logger log = LoggerFactory.getLogger(PlanLimitActivitiesImpl.class);

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final MarketplaceClient marketplace;
  private final SearchIndex search;
  private final StaffMailer mailer;

  public PlanLimitActivitiesImpl(
      JdbcClient jdbc,
      TransactionTemplate transactions,
      MarketplaceClient marketplace,
      SearchIndex search,
      StaffMailer mailer) {
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.marketplace = marketplace;
    this.search = search;
    this.mailer = mailer;
  }

  @Override
  public List<Long> planLimitsTenantPage(long afterTenantId, int limit) {
    return jdbc.sql("SELECT id FROM tenants WHERE id > :after ORDER BY id LIMIT :limit")
        .param("after", afterTenantId)
        .param("limit", limit)
        .query(Long.class)
        .list();
  }

  /** A tenant as measured now, with what the previous check recorded. */
  private record Measured(
      long tenantId,
      LimitUsage vehicles,
      LimitUsage companies,
      boolean previouslyOver,
      Timestamp previousOverSince) {

    boolean warning() {
      return vehicles.warning() || (companies != null && companies.warning());
    }

    boolean overLimit() {
      return vehicles.reached() || (companies != null && companies.reached());
    }
  }

  @Override
  public PlanCheckBatch planLimitsCheckTenants(List<Long> tenantIds) {
    int checked = 0;
    int warning = 0;
    int over = 0;
    int held = 0;
    int released = 0;
    for (long tenantId : tenantIds) {
      int[] result = transactions.execute(tx -> checkTenant(tenantId));
      if (result == null) {
        continue;
      }
      checked++;
      warning += result[0];
      over += result[1];
      held += result[2];
      released += result[3];
    }
    log.info(
        "plan limits: {} tenants checked, {} at 80% or more, {} over a limit,"
            + " {} vehicles newly held back, {} released",
        checked, warning, over, held, released);
    return new PlanCheckBatch(checked, warning, over, held, released);
  }

  /**
   * One tenant, in one transaction under its row's lock: {warning, over, held, released}, or null
   * for a tenant deleted meanwhile.
   */
  private int[] checkTenant(long tenantId) {
    Measured measured =
        jdbc.sql(
                """
                SELECT t.vehicle_limit, t.company_limit,
                       (SELECT count(*) FROM vehicles v JOIN companies c ON c.id = v.company_id
                         WHERE c.tenant_id = t.id AND v.published) AS published,
                       (SELECT count(*) FROM companies c
                         WHERE c.tenant_id = t.id AND c.status = 'ACTIVE') AS companies,
                       s.over_limit, s.over_since
                  FROM tenants t LEFT JOIN tenant_limit_states s ON s.tenant_id = t.id
                 WHERE t.id = :tenant
                   FOR UPDATE OF t
                """)
            .param("tenant", tenantId)
            .query(
                (rs, row) -> {
                  Integer companyLimit = (Integer) rs.getObject("company_limit");
                  return new Measured(
                      tenantId,
                      new LimitUsage(rs.getLong("published"), rs.getLong("vehicle_limit")),
                      companyLimit == null
                          ? null
                          : new LimitUsage(rs.getLong("companies"), companyLimit),
                      rs.getBoolean("over_limit"),
                      rs.getTimestamp("over_since"));
                })
            .optional()
            .orElse(null);
    if (measured == null) {
      return null;
    }
    int[] holdbacks = claimHoldbacks(tenantId, measured.vehicles().limit());
    Timestamp overSince = recordState(measured);
    claimEmails(measured, overSince);
    return new int[] {
      measured.warning() ? 1 : 0, measured.overLimit() ? 1 : 0, holdbacks[0], holdbacks[1]
    };
  }

  /**
   * Claims the published vehicles beyond the first {@code limit} (id order) as holdbacks (again,
   * for one released but not yet restored) and releases the tenant's other holdbacks: {held,
   * released}. The new ones' vehicle rows are locked first, so a search re-index batch that read
   * them (it reads {@code FOR SHARE}) has written its page before this commits, and one that reads
   * them later sees the holdback.
   */
  private int[] claimHoldbacks(long tenantId, long limit) {
    jdbc.sql(
            """
            SELECT v.id FROM vehicles v JOIN companies c ON c.id = v.company_id
             WHERE c.tenant_id = :tenant AND v.published
             ORDER BY v.id OFFSET :limit
               FOR NO KEY UPDATE OF v
            """)
        .param("tenant", tenantId)
        .param("limit", limit)
        .query(Long.class)
        .list();
    return jdbc.sql(
            """
            WITH ranked AS (
              SELECT v.id, v.company_id, row_number() OVER (ORDER BY v.id) AS n
                FROM vehicles v JOIN companies c ON c.id = v.company_id
               WHERE c.tenant_id = :tenant AND v.published),
            beyond AS (SELECT id, company_id FROM ranked WHERE n > :limit),
            held AS (
              INSERT INTO plan_holdbacks (vehicle_id, tenant_id, company_id)
              SELECT id, :tenant, company_id FROM beyond
              ON CONFLICT (vehicle_id) DO UPDATE
                 SET released_at = NULL, withdrawn_at = NULL, unindexed_at = NULL,
                     held_since = now(), tenant_id = EXCLUDED.tenant_id,
                     company_id = EXCLUDED.company_id
               WHERE plan_holdbacks.released_at IS NOT NULL
              RETURNING vehicle_id),
            released AS (
              UPDATE plan_holdbacks h SET released_at = now()
               WHERE h.tenant_id = :tenant AND h.released_at IS NULL
                 AND h.vehicle_id NOT IN (SELECT id FROM beyond)
              RETURNING vehicle_id)
            SELECT (SELECT count(*) FROM held) AS held, (SELECT count(*) FROM released) AS released
            """)
        .param("tenant", tenantId)
        .param("limit", limit)
        .query((rs, row) -> new int[] {rs.getInt("held"), rs.getInt("released")})
        .single();
  }

  /** Writes the tenant's figures and flags; returns since when it is over a limit, or null. */
  private Timestamp recordState(Measured m) {
    return jdbc.sql(
            """
            INSERT INTO tenant_limit_states
              (tenant_id, checked_at, published_vehicles, vehicle_limit, active_companies,
               company_limit, warning, over_limit, over_since)
            VALUES (:tenant, now(), :published, :vehicleLimit, :companies, :companyLimit,
                    :warning, :over, CASE WHEN :over THEN now() END)
            ON CONFLICT (tenant_id) DO UPDATE SET
              checked_at = EXCLUDED.checked_at,
              published_vehicles = EXCLUDED.published_vehicles,
              vehicle_limit = EXCLUDED.vehicle_limit,
              active_companies = EXCLUDED.active_companies,
              company_limit = EXCLUDED.company_limit,
              warning = EXCLUDED.warning,
              over_limit = EXCLUDED.over_limit,
              over_since = CASE WHEN EXCLUDED.over_limit
                                THEN coalesce(tenant_limit_states.over_since, now()) END
            RETURNING over_since
            """)
        .param("tenant", m.tenantId())
        .param("published", m.vehicles().used())
        .param("vehicleLimit", m.vehicles().limit())
        .param("companies", m.companies() == null ? 0 : m.companies().used())
        .param("companyLimit", m.companies() == null ? null : m.companies().limit())
        .param("warning", m.warning())
        .param("over", m.overLimit())
        .query((rs, row) -> Optional.ofNullable(rs.getTimestamp("over_since")))
        .single()
        .orElse(null);
  }

  /**
   * Claims the emails the tenant is owed: the warning once per calendar month (UTC) while at 80% or
   * more and under every limit; the over-limit email once per episode over a limit (keyed by when
   * it began); the lifted email once when that episode ends.
   */
  private void claimEmails(Measured m, Timestamp overSince) {
    long tenant = m.tenantId();
    if (m.overLimit()) {
      claim(REACHED_KIND, episodeKey(tenant, overSince), tenant);
    } else {
      if (m.previouslyOver() && m.previousOverSince() != null) {
        claim(LIFTED_KIND, episodeKey(tenant, m.previousOverSince()), tenant);
      }
      if (m.warning()) {
        String month =
            jdbc.sql("SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM')")
                .query(String.class)
                .single();
        claim(WARNING_KIND, "tenant:" + tenant + ":" + month, tenant);
      }
    }
  }

  private static String episodeKey(long tenantId, Timestamp since) {
    return "tenant:" + tenantId + ":over-since:" + since.toInstant();
  }

  private void claim(String kind, String subjectKey, long tenantId) {
    int claimed =
        jdbc.sql(
                """
                INSERT INTO touchpoints (kind, subject_key, tenant_id, due_on, due_by)
                VALUES (:kind, :key, :tenant, (now() AT TIME ZONE 'UTC')::date,
                        now() + interval '1 day')
                ON CONFLICT (kind, subject_key) DO NOTHING
                """)
            .param("kind", kind)
            .param("key", subjectKey)
            .param("tenant", tenantId)
            .update();
    if (claimed == 1) {
      log.info("plan limits: tenant {} is owed a {} email", tenantId, kind);
    }
  }

  /** One held-back or released vehicle as the marketplace and search see it. */
  private record Held(
      long vehicleId,
      long companyId,
      long tenantId,
      long modelId,
      String modelName,
      boolean published,
      boolean listable,
      boolean onMarketplace) {}

  @Override
  public HoldbackBatch planLimitsApplyHoldbacks(List<Long> tenantIds) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    String runId = context.getInfo().getRunId();
    int withdrawn = 0;
    int restored = 0;
    for (long tenantId : tenantIds) {
      int tenantWithdrawn = 0;
      int tenantRestored = 0;
      while (true) {
        List<Held> batch = heldBatch(tenantId, false);
        if (batch.isEmpty()) {
          break;
        }
        Map<Long, List<Long>> listed =
            byCompany(batch.stream().filter(Held::onMarketplace).toList());
        listed.forEach(
            (company, ids) ->
                marketplace.withdraw(company, ids, key(runId, "withdraw", company, ids)));
        List<Long> ids = batch.stream().map(Held::vehicleId).toList();
        search.removeVehicles(ids);
        jdbc.sql(
                """
                UPDATE plan_holdbacks
                   SET withdrawn_at = coalesce(withdrawn_at, now()),
                       unindexed_at = coalesce(unindexed_at, now())
                 WHERE vehicle_id IN (:ids) AND released_at IS NULL
                """)
            .param("ids", ids)
            .update();
        tenantWithdrawn += ids.size();
        context.heartbeat(tenantId);
      }
      while (true) {
        List<Held> batch = heldBatch(tenantId, true);
        if (batch.isEmpty()) {
          break;
        }
        Map<Long, List<Long>> listable = byCompany(batch.stream().filter(Held::listable).toList());
        listable.forEach(
            (company, ids) -> marketplace.list(company, ids, key(runId, "list", company, ids)));
        List<VehicleDocument> documents = new ArrayList<>();
        List<Long> removed = new ArrayList<>();
        for (Held held : batch) {
          if (held.published()) {
            documents.add(
                new VehicleDocument(
                    held.vehicleId(),
                    held.companyId(),
                    held.tenantId(),
                    held.modelId(),
                    held.modelName(),
                    true));
          } else {
            removed.add(held.vehicleId());
          }
        }
        search.writeVehicles(documents, removed);
        List<Long> ids = batch.stream().map(Held::vehicleId).toList();
        jdbc.sql(
                "DELETE FROM plan_holdbacks WHERE vehicle_id IN (:ids) AND released_at IS NOT NULL")
            .param("ids", ids)
            .update();
        tenantRestored += ids.size();
        context.heartbeat(tenantId);
      }
      if (tenantWithdrawn + tenantRestored > 0) {
        log.info(
            "plan limits: tenant {}: {} vehicles held back from the marketplace and search,"
                + " {} released and restored",
            tenantId,
            tenantWithdrawn,
            tenantRestored);
      }
      withdrawn += tenantWithdrawn;
      restored += tenantRestored;
    }
    return new HoldbackBatch(withdrawn, restored);
  }

  /**
   * The next batch of the tenant's holdbacks still to apply ({@code released} false: held back, not
   * yet off the marketplace and search) or to restore ({@code released} true).
   */
  private List<Held> heldBatch(long tenantId, boolean released) {
    return jdbc.sql(
            """
            SELECT h.vehicle_id, v.company_id, c.tenant_id, v.model_id, m.name AS model_name,
                   v.published,
                   v.published AND c.status = 'ACTIVE' AND c.marketplace_enabled
                     AND v.marketplace_removed_at IS NULL AS listable,
                   c.marketplace_enabled AND v.marketplace_removed_at IS NULL AS on_marketplace
              FROM plan_holdbacks h
              JOIN vehicles v ON v.id = h.vehicle_id
              JOIN companies c ON c.id = v.company_id
              JOIN vehicle_models m ON m.id = v.model_id
             WHERE h.tenant_id = :tenant
               AND CASE WHEN :released THEN h.released_at IS NOT NULL
                        ELSE h.released_at IS NULL
                             AND (h.withdrawn_at IS NULL OR h.unindexed_at IS NULL) END
             ORDER BY h.vehicle_id
             LIMIT :size
            """)
        .param("tenant", tenantId)
        .param("released", released)
        .param("size", EXTERNAL_BATCH)
        .query(
            (rs, row) ->
                new Held(
                    rs.getLong("vehicle_id"),
                    rs.getLong("company_id"),
                    rs.getLong("tenant_id"),
                    rs.getLong("model_id"),
                    rs.getString("model_name"),
                    rs.getBoolean("published"),
                    rs.getBoolean("listable"),
                    rs.getBoolean("on_marketplace")))
        .list();
  }

  private static Map<Long, List<Long>> byCompany(List<Held> vehicles) {
    Map<Long, List<Long>> byCompany = new LinkedHashMap<>();
    for (Held held : vehicles) {
      byCompany.computeIfAbsent(held.companyId(), c -> new ArrayList<>()).add(held.vehicleId());
    }
    return byCompany;
  }

  /**
   * A marketplace call's idempotency key: this run, the operation, the company and the batch's ids.
   * A retried batch sends the same key; a later run (a vehicle held back again after a release) is
   * a new request.
   */
  static String key(String runId, String operation, long companyId, List<Long> ids) {
    return "plans:"
        + runId
        + ":"
        + operation
        + ":"
        + companyId
        + ":"
        + ids.get(0)
        + "-"
        + ids.get(ids.size() - 1)
        + ":"
        + ids.size();
  }

  /** A claimed plan-limit email not yet sent. */
  private record Owed(long touchpointId, String kind, long tenantId) {}

  /** The tenant as an email shows it. */
  private record TenantFigures(
      String name,
      String plan,
      String adminEmail,
      LimitUsage vehicles,
      LimitUsage companies,
      List<Long> heldBack) {}

  @Override
  public int planLimitsSendNotices(List<Long> tenantIds) {
    if (tenantIds.isEmpty()) {
      return 0;
    }
    ActivityExecutionContext context = Activity.getExecutionContext();
    List<Owed> owed =
        jdbc.sql(
                """
                SELECT id, kind, tenant_id FROM touchpoints
                 WHERE kind IN (:kinds) AND tenant_id IN (:tenants)
                   AND sent_at IS NULL AND delivery_status IS NULL
                 ORDER BY id
                """)
            .param("kinds", List.of(WARNING_KIND, REACHED_KIND, LIFTED_KIND))
            .param("tenants", tenantIds)
            .query(
                (rs, row) ->
                    new Owed(rs.getLong("id"), rs.getString("kind"), rs.getLong("tenant_id")))
            .list();
    int sent = 0;
    for (Owed email : owed) {
      TenantFigures tenant = figures(email.tenantId());
      if (tenant == null) {
        markNotSendable(email.touchpointId());
        continue;
      }
      if (tenant.adminEmail() == null || tenant.adminEmail().isBlank()) {
        markNotSendable(email.touchpointId());
        log.warn(
            "plan limits: tenant {} has no administrator address; {} email {} not sendable",
            email.tenantId(),
            email.kind(),
            email.touchpointId());
        continue;
      }
      EmailTemplate template =
          switch (email.kind()) {
            case WARNING_KIND -> EmailTemplate.PLAN_LIMIT_WARNING;
            case REACHED_KIND -> EmailTemplate.PLAN_LIMIT_REACHED;
            default -> EmailTemplate.PLAN_LIMIT_LIFTED;
          };
      try {
        String messageId =
            mailer.send(
                tenant.adminEmail(),
                template.id(),
                EmailTemplate.Audience.TENANT_ADMIN,
                scope(tenant),
                sendKey(email.touchpointId()));
        markSent(email.touchpointId(), messageId);
        sent++;
        log.info(
            "plan limits: {} email {} sent to the administrator of tenant {} ({})",
            email.kind(),
            email.touchpointId(),
            email.tenantId(),
            messageId);
      } catch (ApplicationFailure failure) {
        if (!failure.isNonRetryable()) {
          throw failure;
        }
        markNotSendable(email.touchpointId());
        log.warn(
            "plan limits: {} email {} to the administrator of tenant {} refused for good ({})",
            email.kind(),
            email.touchpointId(),
            email.tenantId(),
            failure.getType());
      }
      context.heartbeat(email.touchpointId());
    }
    return sent;
  }

  /** The email's idempotency key, derived from its touchpoint: one email whatever is retried. */
  static String sendKey(long touchpointId) {
    return UUID.nameUUIDFromBytes(("plan_limits:" + touchpointId).getBytes(StandardCharsets.UTF_8))
        .toString();
  }

  private TenantFigures figures(long tenantId) {
    List<Long> heldBack =
        jdbc.sql(
                """
                SELECT vehicle_id FROM plan_holdbacks
                 WHERE tenant_id = :tenant AND released_at IS NULL ORDER BY vehicle_id
                """)
            .param("tenant", tenantId)
            .query(Long.class)
            .list();
    return jdbc.sql(
            """
            SELECT t.name, t.plan, t.admin_email, t.vehicle_limit, t.company_limit,
                   (SELECT count(*) FROM vehicles v JOIN companies c ON c.id = v.company_id
                     WHERE c.tenant_id = t.id AND v.published) AS published,
                   (SELECT count(*) FROM companies c
                     WHERE c.tenant_id = t.id AND c.status = 'ACTIVE') AS companies
              FROM tenants t WHERE t.id = :tenant
            """)
        .param("tenant", tenantId)
        .query(
            (rs, row) -> {
              Integer companyLimit = (Integer) rs.getObject("company_limit");
              return new TenantFigures(
                  rs.getString("name"),
                  rs.getString("plan"),
                  rs.getString("admin_email"),
                  new LimitUsage(rs.getLong("published"), rs.getLong("vehicle_limit")),
                  companyLimit == null
                      ? null
                      : new LimitUsage(rs.getLong("companies"), companyLimit),
                  heldBack);
            })
        .optional()
        .orElse(null);
  }

  private static Map<String, Object> scope(TenantFigures tenant) {
    List<String> limits = new ArrayList<>();
    limits.add(line("Published vehicles", tenant.vehicles()));
    if (tenant.companies() != null) {
      limits.add(line("Active companies", tenant.companies()));
    }
    List<Long> shown = tenant.heldBack().stream().limit(IDS_IN_EMAIL).toList();
    Map<String, Object> scope = new LinkedHashMap<>();
    scope.put("tenantName", tenant.name());
    scope.put("plan", tenant.plan());
    scope.put("limits", limits);
    scope.put("vehicleLimit", tenant.vehicles().limit());
    scope.put("heldBack", !tenant.heldBack().isEmpty());
    scope.put("heldBackCount", tenant.heldBack().size());
    scope.put(
        "heldBackVehicles",
        tenant.heldBack().size() == 1 ? "1 vehicle" : tenant.heldBack().size() + " vehicles");
    scope.put("heldBackIds", shown.stream().map(String::valueOf).collect(Collectors.joining(", ")));
    scope.put("moreHeldBack", tenant.heldBack().size() > shown.size());
    scope.put("companiesReached", tenant.companies() != null && tenant.companies().reached());
    scope.put("vehiclesReached", tenant.vehicles().reached());
    return scope;
  }

  private static String line(String what, LimitUsage usage) {
    return what + ": " + usage.used() + " of " + usage.limit() + " (" + usage.percent() + "%)";
  }

  private void markSent(long touchpointId, String messageId) {
    jdbc.sql(
            """
            UPDATE touchpoints
               SET sent_at = coalesce(sent_at, now()),
                   late = coalesce(late, now() > due_by),
                   provider_message_id = coalesce(provider_message_id, :messageId)
             WHERE id = :id
            """)
        .param("id", touchpointId)
        .param("messageId", messageId)
        .update();
  }

  /** No address, or refused for good: recorded FAILED, never sent (nor retried). */
  private void markNotSendable(long touchpointId) {
    jdbc.sql(
            """
            UPDATE touchpoints SET delivery_status = 'FAILED', failed_at = coalesce(failed_at, now())
             WHERE id = :id AND sent_at IS NULL
            """)
        .param("id", touchpointId)
        .update();
  }
}
