package com.marketplace.jobs.api.plans;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Tenants 14101-14104 as the daily plan-limit check leaves them: at 79%, at 80%, 13 of 10 with
 * three vehicles held back, and one with a company limit of 2 reached.
 */
final class PlanTestRows {

  static final long AT_79 = 14101;
  static final long AT_80 = 14102;
  static final long OVER = 14103;
  static final long COMPANIES_FULL = 14104;

  private PlanTestRows() {}

  static void write(JdbcClient jdbc) {
    jdbc.sql("DELETE FROM plan_holdbacks WHERE tenant_id BETWEEN 14101 AND 14104").update();
    jdbc.sql("DELETE FROM tenant_limit_states WHERE tenant_id BETWEEN 14101 AND 14104").update();
    jdbc.sql("DELETE FROM vehicles WHERE id BETWEEN 14101000 AND 14104999").update();
    jdbc.sql("DELETE FROM vehicle_models WHERE tenant_id BETWEEN 14101 AND 14104").update();
    jdbc.sql("DELETE FROM companies WHERE tenant_id BETWEEN 14101 AND 14104").update();
    jdbc.sql("DELETE FROM tenants WHERE id BETWEEN 14101 AND 14104").update();
    tenant(jdbc, AT_79, 100, 79, null);
    tenant(jdbc, AT_80, 10, 8, null);
    tenant(jdbc, OVER, 10, 13, null);
    tenant(jdbc, COMPANIES_FULL, 10, 2, 2);
    state(jdbc, AT_79, 79, 100, false, false);
    state(jdbc, AT_80, 8, 10, true, false);
    state(jdbc, OVER, 13, 10, true, true);
    state(jdbc, COMPANIES_FULL, 2, 10, true, true);
    jdbc.sql(
            """
            INSERT INTO plan_holdbacks (vehicle_id, tenant_id, company_id, withdrawn_at, unindexed_at)
            SELECT 14103000 + n, 14103, 141031, now(), now() FROM generate_series(11, 13) AS n
            """)
        .update();
  }

  private static void tenant(
      JdbcClient jdbc, long id, int limit, int published, Integer companyLimit) {
    jdbc.sql(
            """
            INSERT INTO tenants (id, name, plan, vehicle_limit, company_limit, admin_email)
            VALUES (:id, 'Tenant ' || :id, 'starter', :limit, :companyLimit, 'admin@example.com')
            """)
        .param("id", id)
        .param("limit", limit)
        .param("companyLimit", companyLimit)
        .update();
    jdbc.sql(
            """
            INSERT INTO companies (id, tenant_id, name, email) VALUES
              (:id * 10 + 1, :id, 'A', 'a@example.com'), (:id * 10 + 2, :id, 'B', 'b@example.com')
            """)
        .param("id", id)
        .update();
    jdbc.sql("INSERT INTO vehicle_models (id, tenant_id, name) VALUES (:id, :id, 'Compact')")
        .param("id", id)
        .update();
    jdbc.sql(
            """
            INSERT INTO vehicles (id, company_id, model_id, published)
            SELECT :id * 1000 + n, :id * 10 + 1, :id, true FROM generate_series(1, :published) AS n
            """)
        .param("id", id)
        .param("published", published)
        .update();
  }

  private static void state(
      JdbcClient jdbc, long id, int published, int limit, boolean warning, boolean over) {
    jdbc.sql(
            """
            INSERT INTO tenant_limit_states
              (tenant_id, checked_at, published_vehicles, vehicle_limit, active_companies,
               company_limit, warning, over_limit, over_since)
            SELECT t.id, now(), :published, :limit, 2, t.company_limit, :warning, :over,
                   CASE WHEN :over THEN now() END
              FROM tenants t WHERE t.id = :id
            """)
        .param("id", id)
        .param("published", published)
        .param("limit", limit)
        .param("warning", warning)
        .param("over", over)
        .update();
  }
}
