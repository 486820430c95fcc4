package com.marketplace.jobs.moderation;

import com.marketplace.jobs.marketplace.MarketplaceClient;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Marketplace toggle steps over the platform's tables and the marketplace. Only rows whose flag
 * differs from the requested state are switched, and each is recorded (COMPANY_MARKETPLACE,
 * MODEL_MARKETPLACE) in the statement that switches it; listings are recorded per marketplace call
 * it accepted (LISTING). Restores put back exactly what was recorded.
 */
@Component
public class TenantMarketplaceActivitiesImpl implements TenantMarketplaceActivities {

  private static final Logger log = LoggerFactory.getLogger(TenantMarketplaceActivitiesImpl.class);

  /** Vehicles per marketplace call: the marketplace's limit. */
  private static final int EXTERNAL_BATCH = MarketplaceClient.MAX_VEHICLES_PER_CALL;

  /**
   * The published vehicles of the active companies this job switched, except those the marketplace
   * took down itself and those held back by the plan-limit checks (over the tenant's vehicle limit,
   * never listed): those whose listings the toggle changes.
   */
  private static final String LISTED_VEHICLES =
      """
      FROM vehicles v
      JOIN moderation_changes mc
        ON mc.job_id = :job AND mc.entity = 'COMPANY_MARKETPLACE' AND mc.entity_id = v.company_id
       AND mc.restored_at IS NULL
      JOIN companies c ON c.id = v.company_id
      WHERE v.published AND c.status = 'ACTIVE' AND v.marketplace_removed_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM plan_holdbacks h WHERE h.vehicle_id = v.id)
      """;

  private final JdbcClient jdbc;
  private final ModerationChanges changes;
  private final MarketplaceClient marketplace;

  TenantMarketplaceActivitiesImpl(
      JdbcClient jdbc, ModerationChanges changes, MarketplaceClient marketplace) {
    this.jdbc = jdbc;
    this.changes = changes;
    this.marketplace = marketplace;
  }

  @Override
  public ToggleScope countToggleScope(ToggleStep step) {
    long tenantId = step.tenantId();
    boolean enabled = step.enabled();
    return jdbc.sql(
            """
            SELECT (SELECT count(*) FROM companies
                     WHERE tenant_id = :tenant AND marketplace_enabled <> :enabled) AS companies,
                   (SELECT count(*) FROM vehicle_models
                     WHERE tenant_id = :tenant AND marketplace_enabled <> :enabled) AS models,
                   (SELECT count(*) FROM vehicles v JOIN companies c ON c.id = v.company_id
                     WHERE c.tenant_id = :tenant AND c.marketplace_enabled <> :enabled
                       AND c.status = 'ACTIVE' AND v.published
                       AND v.marketplace_removed_at IS NULL
                       AND NOT EXISTS (SELECT 1 FROM plan_holdbacks h
                                        WHERE h.vehicle_id = v.id)) AS vehicles
            """)
        .param("tenant", tenantId)
        .param("enabled", enabled)
        .query(
            (rs, row) ->
                new ToggleScope(
                    rs.getLong("companies"), rs.getLong("models"), rs.getLong("vehicles")))
        .single();
  }

  @Override
  public long switchCompanies(ToggleStep step) {
    long done = switchFlags(step, "companies", ChangedEntity.COMPANY_MARKETPLACE);
    log.info(
        "job {}: {} companies of tenant {} switched to marketplace={}",
        step.jobId(),
        done,
        step.tenantId(),
        step.enabled());
    return done;
  }

  @Override
  public long switchModels(ToggleStep step) {
    long done = switchFlags(step, "vehicle_models", ChangedEntity.MODEL_MARKETPLACE);
    log.info(
        "job {}: {} vehicle models of tenant {} switched to marketplace={}",
        step.jobId(),
        done,
        step.tenantId(),
        step.enabled());
    return done;
  }

  /** Switches {@code marketplace_enabled} on the tenant's rows of {@code table} that differ. */
  private long switchFlags(ToggleStep step, String table, ChangedEntity entity) {
    return changes.bulkStep(
        step.jobId(),
        entity,
        step.progress(),
        Map.of("tenant", step.tenantId(), "enabled", step.enabled(), "entity", entity.name()),
        """
        WITH batch AS (
          SELECT id FROM %1$s
           WHERE tenant_id = :tenant AND marketplace_enabled <> :enabled AND id > :after
           ORDER BY id LIMIT :size FOR UPDATE),
        changed AS (
          UPDATE %1$s t SET marketplace_enabled = :enabled FROM batch WHERE t.id = batch.id
          RETURNING t.id),
        recorded AS (
          INSERT INTO moderation_changes (job_id, entity, entity_id, previous_state, new_state)
          SELECT :job, :entity, id, (NOT :enabled)::text, (:enabled)::text FROM changed
          {record})
        SELECT coalesce((SELECT max(id) FROM batch), -1) AS last_id,
               (SELECT count(*) FROM changed) AS changed
        """
            .formatted(table));
  }

  @Override
  public long updateListings(ToggleStep step) {
    String jobId = step.jobId();
    boolean enabled = step.enabled();
    BatchProgress progress = step.progress();
    UUID job = UUID.fromString(jobId);
    RecordedState to = enabled ? RecordedState.LISTED : RecordedState.WITHDRAWN;
    ActivityExecutionContext context = Activity.getExecutionContext();
    long after = context.getHeartbeatDetails(Long.class).orElse(0L);
    while (true) {
      Map<Long, List<Long>> page = vehiclesByCompany(job, after);
      if (page.isEmpty()) {
        long listings = changes.recorded(job, ChangedEntity.LISTING);
        log.info("job {}: {} marketplace listings {}", jobId, listings, to.recorded());
        return listings;
      }
      for (Map.Entry<Long, List<Long>> company : page.entrySet()) {
        List<Long> ids = company.getValue();
        String key = changes.idempotencyKey(jobId, to.recorded(), ids);
        // The call and its record under the fence: a late attempt cannot call after a rollback.
        changes.fenced(
            job,
            () -> {
              if (enabled) {
                marketplace.list(company.getKey(), ids, key);
              } else {
                marketplace.withdraw(company.getKey(), ids, key);
              }
              changes.recordExternal(job, ChangedEntity.LISTING, ids, to.opposite(), to);
              return ids;
            });
        after = Math.max(after, ids.get(ids.size() - 1));
      }
      context.heartbeat(after);
      changes.reportStep(
          progress.step(), progress.offset() + changes.recorded(job, ChangedEntity.LISTING));
    }
  }

  /**
   * The next page of vehicles whose listings the toggle changes, at most one marketplace batch,
   * grouped by company (one marketplace call each), in id order so a retry rebuilds the same calls.
   */
  private Map<Long, List<Long>> vehiclesByCompany(UUID job, long after) {
    return groupedByCompany(
        jdbc.sql(
                "SELECT v.id, v.company_id "
                    + LISTED_VEHICLES
                    + " AND v.id > :after ORDER BY v.id LIMIT :size")
            .param("job", job)
            .param("after", after)
            .param("size", EXTERNAL_BATCH));
  }

  /** Vehicle ids ({@code id}) by their {@code company_id}, in the order the query returns them. */
  private static Map<Long, List<Long>> groupedByCompany(JdbcClient.StatementSpec query) {
    Map<Long, List<Long>> byCompany = new LinkedHashMap<>();
    query.query(
        rs -> {
          byCompany
              .computeIfAbsent(rs.getLong("company_id"), company -> new ArrayList<>())
              .add(rs.getLong("id"));
        });
    return byCompany;
  }

  @Override
  public void restoreListings(JobStep step) {
    String jobId = step.jobId();
    UUID job = UUID.fromString(jobId);
    changes.undoRecorded(
        job,
        ChangedEntity.LISTING,
        RecordedState.LISTED,
        EXTERNAL_BATCH,
        ids ->
            companiesOf(ids)
                .forEach(
                    (company, vehicles) ->
                        marketplace.withdraw(
                            company,
                            vehicles,
                            changes.idempotencyKey(jobId, "restore-listed", vehicles))));
    changes.undoRecorded(
        job,
        ChangedEntity.LISTING,
        RecordedState.WITHDRAWN,
        EXTERNAL_BATCH,
        // Never list again what the marketplace took down itself meanwhile.
        ids ->
            companiesOf(changes.listable(ids))
                .forEach(
                    (company, vehicles) ->
                        marketplace.list(
                            company,
                            vehicles,
                            changes.idempotencyKey(jobId, "restore-withdrawn", vehicles))));
  }

  /** The vehicles grouped by their company, in id order. */
  private Map<Long, List<Long>> companiesOf(List<Long> vehicleIds) {
    if (vehicleIds.isEmpty()) {
      return Map.of();
    }
    return groupedByCompany(
        jdbc.sql("SELECT id, company_id FROM vehicles WHERE id IN (:ids) ORDER BY id")
            .param("ids", vehicleIds));
  }

  @Override
  public void fence(JobStep step) {
    changes.fence(step.jobId());
  }

  @Override
  public long restoredChanges(JobStep step) {
    return changes.restored(UUID.fromString(step.jobId()));
  }

  @Override
  public void restoreCompanies(JobStep step) {
    restoreFlags(step.jobId(), "companies", ChangedEntity.COMPANY_MARKETPLACE);
  }

  @Override
  public void restoreModels(JobStep step) {
    restoreFlags(step.jobId(), "vehicle_models", ChangedEntity.MODEL_MARKETPLACE);
  }

  private void restoreFlags(String jobId, String table, ChangedEntity entity) {
    changes.restore(
        jobId,
        entity,
        """
        UPDATE %s t SET marketplace_enabled = batch.previous_state::boolean FROM batch
         WHERE t.id = batch.entity_id AND t.marketplace_enabled = batch.new_state::boolean
        """
            .formatted(table));
  }
}
