package com.marketplace.jobs.moderation;

import com.marketplace.jobs.common.FailureType;
import com.marketplace.jobs.common.JobType;
import com.marketplace.jobs.ledger.FollowUpJobs;
import com.marketplace.jobs.marketplace.MarketplaceClient;
import com.marketplace.jobs.notifications.CompanyNoticeRequest;
import com.marketplace.jobs.search.SearchIndex;
import com.marketplace.jobs.search.VehicleDocument;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Ban and unban steps over the platform's tables. Each change and its record in {@code
 * moderation_changes} are written in one statement (one transaction), so a crash can never leave a
 * change unrecorded; restores put back {@code previous_state} only where the row still holds the
 * {@code new_state} the job wrote (an order completed since is left alone).
 */
@Component
public class ModerationActivitiesImpl implements ModerationActivities {

  private static final Logger log = LoggerFactory.getLogger(ModerationActivitiesImpl.class);

  /** Batch size of calls to the search index and the marketplace: the marketplace's limit. */
  private static final int EXTERNAL_BATCH = MarketplaceClient.MAX_VEHICLES_PER_CALL;

  private final JdbcClient jdbc;
  private final ModerationChanges changes;
  private final FollowUpJobs followUps;
  private final MarketplaceClient marketplace;
  private final SearchIndex search;

  ModerationActivitiesImpl(
      JdbcClient jdbc,
      ModerationChanges changes,
      FollowUpJobs followUps,
      MarketplaceClient marketplace,
      SearchIndex search) {
    this.jdbc = jdbc;
    this.changes = changes;
    this.followUps = followUps;
    this.marketplace = marketplace;
    this.search = search;
  }

  @Override
  public ModerationScope countBanScope(CompanyStep step) {
    long companyId = step.companyId();
    return jdbc.sql(
            """
            SELECT (SELECT count(*) FROM vehicles WHERE company_id = :id AND published) AS vehicles,
                   (SELECT count(*) FROM orders WHERE company_id = :id AND status = 'ACTIVE') AS orders
            """)
        .param("id", companyId)
        .query((rs, row) -> new ModerationScope(rs.getLong("vehicles"), rs.getLong("orders")))
        .single();
  }

  @Override
  public ModerationScope countUnbanScope(BanReversalStep step) {
    String banJobId = step.banJobId();
    return jdbc.sql(
            """
            SELECT count(*) FILTER (WHERE entity = 'VEHICLE') AS vehicles,
                   count(*) FILTER (WHERE entity = 'ORDER') AS orders
              FROM moderation_changes WHERE job_id = :job
            """)
        .param("job", UUID.fromString(banJobId))
        .query((rs, row) -> new ModerationScope(rs.getLong("vehicles"), rs.getLong("orders")))
        .single();
  }

  @Override
  public void changeCompanyStatus(CompanyStatusChange change) {
    String jobId = change.jobId();
    long companyId = change.companyId();
    String from = change.from().name();
    String to = change.to().name();
    UUID job = UUID.fromString(jobId);
    if (changes.recorded(job, ChangedEntity.COMPANY) > 0) {
      return;
    }
    int changed =
        changes.fenced(
            job,
            () ->
                jdbc.sql(
                        """
                        WITH changed AS (
                          UPDATE companies SET status = :to
                           WHERE id = :id AND status = :from RETURNING id)
                        INSERT INTO moderation_changes
                          (job_id, entity, entity_id, previous_state, new_state)
                        SELECT :job, 'COMPANY', id, :from, :to FROM changed
                        """
                            + ModerationChanges.RECORD_OR_REAPPLY)
                    .param("to", to)
                    .param("from", from)
                    .param("id", companyId)
                    .param("job", job)
                    .update());
    if (changed == 0 && changes.recorded(job, ChangedEntity.COMPANY) == 0) {
      throw ApplicationFailure.newNonRetryableFailure(
          "company " + companyId + " is not " + from, FailureType.CONFLICT.name());
    }
    log.info("job {}: company {} {} -> {}", jobId, companyId, from, to);
  }

  @Override
  public long unpublishVehicles(CompanyBatchStep step) {
    String jobId = step.jobId();
    long companyId = step.companyId();
    long done =
        changes.bulkStep(
            jobId,
            ChangedEntity.VEHICLE,
            step.progress(),
            Map.of("company", companyId),
            """
                    WITH batch AS (
                      SELECT id FROM vehicles
                       WHERE company_id = :company AND published AND id > :after
                       ORDER BY id LIMIT :size FOR UPDATE),
                    changed AS (
                      UPDATE vehicles v SET published = false FROM batch WHERE v.id = batch.id
                      RETURNING v.id),
                    recorded AS (
                      INSERT INTO moderation_changes
                        (job_id, entity, entity_id, previous_state, new_state)
                      SELECT :job, 'VEHICLE', id, 'true', 'false' FROM changed
                      {record})
                    SELECT coalesce((SELECT max(id) FROM batch), -1) AS last_id,
                           (SELECT count(*) FROM changed) AS changed
                    """);
    log.info("job {}: {} vehicles of company {} unpublished", jobId, done, companyId);
    return done;
  }

  @Override
  public long deactivateOrders(CompanyBatchStep step) {
    String jobId = step.jobId();
    long companyId = step.companyId();
    long done =
        changes.bulkStep(
            jobId,
            ChangedEntity.ORDER,
            step.progress(),
            Map.of("company", companyId),
            """
                    WITH batch AS (
                      SELECT id FROM orders
                       WHERE company_id = :company AND status = 'ACTIVE' AND id > :after
                       ORDER BY id LIMIT :size FOR UPDATE),
                    changed AS (
                      UPDATE orders o SET status = 'DEACTIVATED' FROM batch WHERE o.id = batch.id
                      RETURNING o.id),
                    recorded AS (
                      INSERT INTO moderation_changes
                        (job_id, entity, entity_id, previous_state, new_state)
                      SELECT :job, 'ORDER', id, 'ACTIVE', 'DEACTIVATED' FROM changed
                      {record})
                    SELECT coalesce((SELECT max(id) FROM batch), -1) AS last_id,
                           (SELECT count(*) FROM changed) AS changed
                    """);
    log.info("job {}: {} orders of company {} deactivated", jobId, done, companyId);
    return done;
  }

  @Override
  public long republishVehicles(BanReversalStep step) {
    String jobId = step.jobId();
    String banJobId = step.banJobId();
    long done =
        changes.bulkStep(
            jobId,
            ChangedEntity.VEHICLE,
            step.progress(),
            Map.of("banJob", UUID.fromString(banJobId)),
            """
                    WITH batch AS (
                      SELECT entity_id AS id FROM moderation_changes
                       WHERE job_id = :banJob AND entity = 'VEHICLE' AND entity_id > :after
                       ORDER BY entity_id LIMIT :size),
                    changed AS (
                      UPDATE vehicles v SET published = true FROM batch
                       WHERE v.id = batch.id AND NOT v.published
                      RETURNING v.id),
                    recorded AS (
                      INSERT INTO moderation_changes
                        (job_id, entity, entity_id, previous_state, new_state)
                      SELECT :job, 'VEHICLE', id, 'false', 'true' FROM changed
                      {record})
                    SELECT coalesce((SELECT max(id) FROM batch), -1) AS last_id,
                           (SELECT count(*) FROM changed) AS changed
                    """);
    return done;
  }

  @Override
  public long reactivateOrders(BanReversalStep step) {
    String jobId = step.jobId();
    String banJobId = step.banJobId();
    long done =
        changes.bulkStep(
            jobId,
            ChangedEntity.ORDER,
            step.progress(),
            Map.of("banJob", UUID.fromString(banJobId)),
            """
                    WITH batch AS (
                      SELECT entity_id AS id FROM moderation_changes
                       WHERE job_id = :banJob AND entity = 'ORDER' AND entity_id > :after
                       ORDER BY entity_id LIMIT :size),
                    changed AS (
                      UPDATE orders o SET status = 'ACTIVE' FROM batch
                       WHERE o.id = batch.id AND o.status = 'DEACTIVATED'
                      RETURNING o.id),
                    recorded AS (
                      INSERT INTO moderation_changes
                        (job_id, entity, entity_id, previous_state, new_state)
                      SELECT :job, 'ORDER', id, 'DEACTIVATED', 'ACTIVE' FROM changed
                      {record})
                    SELECT coalesce((SELECT max(id) FROM batch), -1) AS last_id,
                           (SELECT count(*) FROM changed) AS changed
                    """);
    return done;
  }

  @Override
  public long removeFromSearch(JobStep step) {
    return changeSearch(
        step.jobId(),
        RecordedState.REMOVED,
        ids -> {
          search.removeVehicles(ids);
          return ids;
        });
  }

  @Override
  public long addToSearch(JobStep step) {
    return changeSearch(
        step.jobId(),
        RecordedState.INDEXED,
        ids -> {
          List<VehicleDocument> documents = documents(ids);
          search.indexVehicles(documents);
          return documents.stream().map(VehicleDocument::id).toList();
        });
  }

  @Override
  public void restoreSearch(JobStep step) {
    UUID job = UUID.fromString(step.jobId());
    changes.undoRecorded(
        job,
        ChangedEntity.SEARCH_DOCUMENT,
        RecordedState.REMOVED,
        EXTERNAL_BATCH,
        ids -> search.indexVehicles(documents(ids)));
    changes.undoRecorded(
        job,
        ChangedEntity.SEARCH_DOCUMENT,
        RecordedState.INDEXED,
        EXTERNAL_BATCH,
        search::removeVehicles);
  }

  /**
   * Applies one index change to the vehicles this job changed (VEHICLE records), 100 per bulk
   * request, recording each batch as SEARCH_DOCUMENT changes so the compensation is exact.
   */
  private long changeSearch(String jobId, RecordedState to, UnaryOperator<List<Long>> apply) {
    String step = to == RecordedState.REMOVED ? "remove from search index" : "add to search index";
    long documents =
        applyToRecordedVehicles(
            UUID.fromString(jobId), ChangedEntity.SEARCH_DOCUMENT, to.opposite(), to, step, apply);
    log.info("job {}: {} search documents {}", jobId, documents, to.recorded());
    return documents;
  }

  /**
   * The search documents of published vehicles, built from their rows; vehicles held back by the
   * plan-limit checks (over their tenant's vehicle limit) have none: they are never indexed.
   */
  private List<VehicleDocument> documents(List<Long> vehicleIds) {
    return jdbc.sql(
            """
            SELECT v.id, v.company_id, c.tenant_id, v.model_id, m.name AS model_name
              FROM vehicles v JOIN companies c ON c.id = v.company_id
              JOIN vehicle_models m ON m.id = v.model_id
             WHERE v.id IN (:ids)
               AND NOT EXISTS (SELECT 1 FROM plan_holdbacks h WHERE h.vehicle_id = v.id)
            """)
        .param("ids", vehicleIds)
        .query(
            (rs, row) ->
                new VehicleDocument(
                    rs.getLong("id"),
                    rs.getLong("company_id"),
                    rs.getLong("tenant_id"),
                    rs.getLong("model_id"),
                    rs.getString("model_name"),
                    true))
        .list();
  }

  @Override
  public long withdrawListings(CompanyStep step) {
    return changeListings(
        step.jobId(), step.companyId(), RecordedState.WITHDRAWN, marketplace::withdraw);
  }

  @Override
  public long listVehicles(CompanyStep step) {
    return changeListings(step.jobId(), step.companyId(), RecordedState.LISTED, marketplace::list);
  }

  @Override
  public void restoreListings(CompanyStep step) {
    String jobId = step.jobId();
    long companyId = step.companyId();
    UUID job = UUID.fromString(jobId);
    changes.undoRecorded(
        job,
        ChangedEntity.LISTING,
        RecordedState.WITHDRAWN,
        EXTERNAL_BATCH,
        ids -> {
          List<Long> listable = changes.listable(ids);
          if (!listable.isEmpty()) {
            marketplace.list(
                companyId, listable, changes.idempotencyKey(jobId, "restore-withdrawn", listable));
          }
        });
    changes.undoRecorded(
        job,
        ChangedEntity.LISTING,
        RecordedState.LISTED,
        EXTERNAL_BATCH,
        ids ->
            marketplace.withdraw(
                companyId, ids, changes.idempotencyKey(jobId, "restore-listed", ids)));
  }

  /** A marketplace call for one batch of one company's vehicles. */
  private interface MarketplaceCall {
    void apply(long companyId, List<Long> vehicleIds, String idempotencyKey);
  }

  /**
   * Calls the marketplace for the vehicles this job changed (VEHICLE records), in fixed batches of
   * the marketplace's limit (a retried batch has the same ids and so the same idempotency key), and
   * records each accepted batch as LISTING changes, so the compensation undoes exactly those.
   */
  private long changeListings(
      String jobId, long companyId, RecordedState to, MarketplaceCall call) {
    boolean onMarketplace =
        jdbc.sql("SELECT marketplace_enabled FROM companies WHERE id = :id")
            .param("id", companyId)
            .query(Boolean.class)
            .optional()
            .orElse(false);
    if (!onMarketplace) {
      return 0;
    }
    long listings =
        applyToRecordedVehicles(
            UUID.fromString(jobId),
            ChangedEntity.LISTING,
            to.opposite(),
            to,
            to == RecordedState.WITHDRAWN
                ? "withdraw marketplace listings"
                : "list on the marketplace",
            ids -> {
              // Never list again what the marketplace took down itself.
              List<Long> eligible = to == RecordedState.LISTED ? changes.listable(ids) : ids;
              if (!eligible.isEmpty()) {
                call.apply(
                    companyId, eligible, changes.idempotencyKey(jobId, to.recorded(), eligible));
              }
              return eligible;
            });
    log.info(
        "job {}: {} marketplace listings {} for company {}",
        jobId,
        listings,
        to.recorded(),
        companyId);
    return listings;
  }

  /**
   * Applies {@code action} (which answers the ids it changed) to the vehicles this job changed (its
   * VEHICLE records), in fixed batches of {@value #EXTERNAL_BATCH} (a retried batch has the same
   * ids, so the same idempotency key), and records each batch the external system accepted as
   * {@code entity} changes {@code from} → {@code to}, so the compensation undoes exactly those.
   * Heartbeats the last id done and shows {@code step} with its count on the ledger row after every
   * batch.
   *
   * @return how many {@code entity} changes this job has recorded
   */
  private long applyToRecordedVehicles(
      UUID job,
      ChangedEntity entity,
      RecordedState from,
      RecordedState to,
      String step,
      UnaryOperator<List<Long>> action) {
    var context = Activity.getExecutionContext();
    long after = context.getHeartbeatDetails(Long.class).orElse(0L);
    long vehicles = changes.recorded(job, ChangedEntity.VEHICLE);
    long done = changes.recorded(job, entity);
    while (true) {
      List<Long> ids =
          jdbc.sql(
                  """
                  SELECT entity_id FROM moderation_changes
                   WHERE job_id = :job AND entity = 'VEHICLE' AND entity_id > :after
                     AND restored_at IS NULL
                   ORDER BY entity_id LIMIT :size
                  """)
              .param("job", job)
              .param("after", after)
              .param("size", EXTERNAL_BATCH)
              .query(Long.class)
              .list();
      if (ids.isEmpty()) {
        return changes.recorded(job, entity);
      }
      // The call and its record under the fence: a late attempt cannot call after a rollback.
      changes.fenced(
          job,
          () -> {
            List<Long> applied = action.apply(ids);
            if (!applied.isEmpty()) {
              changes.recordExternal(job, entity, applied, from, to);
            }
            return applied;
          });
      after = ids.get(ids.size() - 1);
      context.heartbeat(after);
      done += ids.size();
      changes.reportStep(step + " (" + Math.min(done, vehicles) + " of " + vehicles + ")", null);
    }
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
  public void restoreCompany(JobStep step) {
    changes.restore(
        step.jobId(),
        ChangedEntity.COMPANY,
        """
        UPDATE companies t SET status = batch.previous_state FROM batch
         WHERE t.id = batch.entity_id AND t.status = batch.new_state
        """);
  }

  @Override
  public void restoreVehicles(JobStep step) {
    changes.restore(
        step.jobId(),
        ChangedEntity.VEHICLE,
        """
        UPDATE vehicles t SET published = batch.previous_state::boolean FROM batch
         WHERE t.id = batch.entity_id AND t.published = batch.new_state::boolean
        """);
  }

  @Override
  public void restoreOrders(JobStep step) {
    changes.restore(
        step.jobId(),
        ChangedEntity.ORDER,
        """
        UPDATE orders t SET status = batch.previous_state FROM batch
         WHERE t.id = batch.entity_id AND t.status = batch.new_state
        """);
  }

  @Override
  public void requestCompanyNotice(CompanyNoticeRequest notice) {
    Long tenantId =
        jdbc.sql("SELECT tenant_id FROM companies WHERE id = :id")
            .param("id", notice.companyId())
            .query(Long.class)
            .optional()
            .orElse(null);
    boolean accepted =
        followUps.accept(
            JobType.COMPANY_NOTICE,
            UUID.fromString(notice.jobId()),
            UUID.fromString(notice.moderationJobId()),
            notice,
            tenantId,
            notice.companyId());
    if (accepted) {
      log.info(
          "job {}: company notice {} accepted for company {}",
          notice.moderationJobId(),
          notice.jobId(),
          notice.companyId());
    }
  }
}
