package com.marketplace.jobs.api.moderation;

import com.marketplace.jobs.api.problems.ApiProblem;
import com.marketplace.jobs.moderation.CompanyStatus;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** What the moderation endpoints need to know about a company before accepting a job. */
@Repository
class Companies {

  /** A company and its tenant. */
  record Company(long id, long tenantId) {}

  private final JdbcClient jdbc;

  Companies(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  Optional<Company> find(long companyId) {
    return jdbc.sql("SELECT id, tenant_id FROM companies WHERE id = :id")
        .param("id", companyId)
        .query((rs, row) -> new Company(rs.getLong("id"), rs.getLong("tenant_id")))
        .optional();
  }

  /**
   * The company's status, read under a share lock: called inside the intake's transaction, after it
   * found no unfinished moderation job of the company, so no job of ours can change it meanwhile.
   */
  CompanyStatus statusForModeration(long companyId) {
    return jdbc.sql("SELECT status FROM companies WHERE id = :id FOR SHARE")
        .param("id", companyId)
        .query(String.class)
        .optional()
        .map(CompanyStatus::valueOf)
        .orElseThrow(() -> ApiProblem.notFound("No company with id " + companyId + "."));
  }

  /**
   * The ban an unban reverses: the company's most recent finished ban that left changes in place
   * (it completed, or it was terminated, timed out or could not roll back everything), if no
   * completed unban came after it. A ban that was rolled back left nothing to reverse.
   */
  Optional<UUID> banToReverse(long companyId) {
    return jdbc.sql(
            """
            SELECT id FROM jobs b
             WHERE b.type = 'company_ban' AND b.company_id = :id
               AND b.status IN ('COMPLETED', 'FAILED')
               AND EXISTS (SELECT 1 FROM moderation_changes m
                            WHERE m.job_id = b.id AND m.restored_at IS NULL)
               AND NOT EXISTS (
                 SELECT 1 FROM jobs u
                  WHERE u.type = 'company_unban' AND u.company_id = :id
                    AND u.status = 'COMPLETED' AND u.finished_at > b.finished_at)
             ORDER BY b.finished_at DESC LIMIT 1
            """)
        .param("id", companyId)
        .query(UUID.class)
        .optional();
  }
}
