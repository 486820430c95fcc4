package com.marketplace.jobs.api.moderation;

import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** What the marketplace toggle endpoint needs to know about a tenant before accepting a job. */
@Repository
class Tenants {

  /**
   * A tenant and how many of its companies and vehicle models are not yet in the state a toggle
   * asks for.
   */
  record Tenant(long id, long companiesOn, long companiesOff, long modelsOn, long modelsOff) {

    /** Whether a toggle to {@code enabled} would change nothing. */
    boolean alreadyAll(boolean enabled) {
      return enabled ? companiesOff == 0 && modelsOff == 0 : companiesOn == 0 && modelsOn == 0;
    }
  }

  private final JdbcClient jdbc;

  Tenants(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  boolean exists(long tenantId) {
    return jdbc.sql("SELECT count(*) FROM tenants WHERE id = :id")
            .param("id", tenantId)
            .query(Long.class)
            .single()
        > 0;
  }

  Optional<Tenant> find(long tenantId) {
    return jdbc.sql(
            """
            SELECT t.id,
                   (SELECT count(*) FROM companies c
                     WHERE c.tenant_id = t.id AND c.marketplace_enabled) AS companies_on,
                   (SELECT count(*) FROM companies c
                     WHERE c.tenant_id = t.id AND NOT c.marketplace_enabled) AS companies_off,
                   (SELECT count(*) FROM vehicle_models m
                     WHERE m.tenant_id = t.id AND m.marketplace_enabled) AS models_on,
                   (SELECT count(*) FROM vehicle_models m
                     WHERE m.tenant_id = t.id AND NOT m.marketplace_enabled) AS models_off
              FROM tenants t WHERE t.id = :id
            """)
        .param("id", tenantId)
        .query(
            (rs, row) ->
                new Tenant(
                    rs.getLong("id"),
                    rs.getLong("companies_on"),
                    rs.getLong("companies_off"),
                    rs.getLong("models_on"),
                    rs.getLong("models_off")))
        .optional();
  }
}
