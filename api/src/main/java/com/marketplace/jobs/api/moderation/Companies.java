package com.marketplace.jobs.api.moderation;

import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** What the moderation endpoints need to know about a company before accepting a job. */
@Repository
class Companies {

  /** A company's tenant and moderation status. */
  record Company(long id, long tenantId, String status) {}

  private final JdbcClient jdbc;

  Companies(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  Optional<Company> find(long companyId) {
    return jdbc.sql("SELECT id, tenant_id, status FROM companies WHERE id = :id")
        .param("id", companyId)
        .query(
            (rs, row) ->
                new Company(rs.getLong("id"), rs.getLong("tenant_id"), rs.getString("status")))
        .optional();
  }

  /** The company's most recent ban that completed: the one an unban reverses. */
  Optional<UUID> latestCompletedBan(long companyId) {
    return jdbc.sql(
            """
            SELECT id FROM jobs
             WHERE type = 'company_ban' AND company_id = :id AND status = 'COMPLETED'
             ORDER BY finished_at DESC LIMIT 1
            """)
        .param("id", companyId)
        .query(UUID.class)
        .optional();
  }
}
