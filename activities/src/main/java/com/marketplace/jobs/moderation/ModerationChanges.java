package com.marketplace.jobs.moderation;

import com.marketplace.jobs.batches.BatchLoop;
import com.marketplace.jobs.batches.BatchProperties;
import com.marketplace.jobs.common.FailureType;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The record of what a moderation job changed ({@code moderation_changes}), and the loops every
 * moderation step is built from: a bulk change in adaptive batches that records each row it changes
 * in the same statement, and the restores that put back exactly what was recorded.
 *
 * <p><b>Fencing.</b> Every forward write (a batch of rows, a company's status, an external call and
 * its record) runs in a transaction that holds the job's fence lock shared and first checks that
 * its run is not fenced. A rollback {@link #fence fences} its run under the same lock held
 * exclusively: it waits for the forward writes in flight to commit, and none can start after it. So
 * an attempt that timed out and is still running (stuck on a row lock, say) changes nothing after
 * the compensation: what it committed before the fence is recorded and undone with the rest.
 *
 * <p><b>Re-application.</b> A restored record counts as undone. A forward step that changes a row
 * again whose record was restored (a {@code temporal workflow reset} of a rolled-back job) makes
 * the record current again ({@link #RECORD_OR_REAPPLY}), so a later rollback or unban finds it.
 */
@Component
class ModerationChanges {

  private static final Logger log = LoggerFactory.getLogger(ModerationChanges.class);

  /**
   * How a forward statement records a change: new, or a restored record made current again. Never
   * touches a current record (a retried batch records nothing twice).
   */
  static final String RECORD_OR_REAPPLY =
      """
      ON CONFLICT (job_id, entity, entity_id) DO UPDATE
         SET previous_state = EXCLUDED.previous_state, new_state = EXCLUDED.new_state,
             changed_at = now(), restored_at = NULL
       WHERE moderation_changes.restored_at IS NOT NULL
      """;

  /**
   * The longest a forward write waits for a row lock: well within the bulk steps' heartbeat
   * timeout, so a step blocked by another transaction fails its attempt (and is retried) instead of
   * outliving it.
   */
  static final String LOCK_TIMEOUT = "10s";

  private final JdbcClient jdbc;
  private final BatchLoop batches;
  private final BatchProperties batchProperties;
  private final TransactionTemplate transactions;
  private final Supplier<String> currentRunId;

  @Autowired
  ModerationChanges(
      JdbcClient jdbc,
      BatchLoop batches,
      BatchProperties batchProperties,
      TransactionTemplate transactions) {
    this(
        jdbc,
        batches,
        batchProperties,
        transactions,
        () -> Activity.getExecutionContext().getInfo().getRunId());
  }

  /**
   * @param currentRunId the Temporal run of the activity calling (tests that run activities outside
   *     a workflow give a fixed one)
   */
  ModerationChanges(
      JdbcClient jdbc,
      BatchLoop batches,
      BatchProperties batchProperties,
      TransactionTemplate transactions,
      Supplier<String> currentRunId) {
    this.jdbc = jdbc;
    this.batches = batches;
    this.batchProperties = batchProperties;
    this.transactions = transactions;
    this.currentRunId = currentRunId;
  }

  /** How many changes to {@code entity} the job has recorded and not restored. */
  long recorded(UUID job, ChangedEntity entity) {
    return jdbc.sql(
            """
            SELECT count(*) FROM moderation_changes
             WHERE job_id = :job AND entity = :entity AND restored_at IS NULL
            """)
        .param("job", job)
        .param("entity", entity.name())
        .query(Long.class)
        .single();
  }

  /**
   * How many of the job's changes a rollback restored: more than none on a run that applies the job
   * again after a reset.
   */
  long restored(UUID job) {
    return jdbc.sql(
            """
            SELECT count(*) FROM moderation_changes
             WHERE job_id = :job AND restored_at IS NOT NULL
            """)
        .param("job", job)
        .query(Long.class)
        .single();
  }

  /**
   * Runs one forward write of the current activity's run, unless that run is fenced: in one
   * transaction holding the job's fence lock shared, with {@link #LOCK_TIMEOUT} on row locks.
   *
   * @throws ApplicationFailure FENCED, non-retryable, if the run's rollback has begun
   */
  <T> T fenced(UUID job, Supplier<T> write) {
    String runId = currentRunId.get();
    return transactions.execute(
        tx -> {
          jdbc.sql("SELECT set_config('lock_timeout', :timeout, true)")
              .param("timeout", LOCK_TIMEOUT)
              .query()
              .singleValue();
          jdbc.sql("SELECT pg_advisory_xact_lock_shared(hashtextextended(:key, 0))")
              .param("key", fenceKey(job))
              .query()
              .singleValue();
          boolean isFenced =
              jdbc.sql(
                      """
                      SELECT EXISTS (SELECT 1 FROM moderation_fences
                                      WHERE job_id = :job AND run_id = :run)
                      """)
                  .param("job", job)
                  .param("run", runId)
                  .query(Boolean.class)
                  .single();
          if (isFenced) {
            throw ApplicationFailure.newNonRetryableFailure(
                "job "
                    + job
                    + ": the rollback of this run has begun; this late attempt changes"
                    + " nothing",
                FailureType.FENCED.name());
          }
          return write.get();
        });
  }

  /**
   * Fences the current activity's run: waits until its forward writes in flight have committed,
   * then records the fence, so no forward write of the run starts after it. Idempotent.
   */
  void fence(String jobId) {
    UUID job = UUID.fromString(jobId);
    String runId = currentRunId.get();
    transactions.executeWithoutResult(
        tx -> {
          jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))")
              .param("key", fenceKey(job))
              .query()
              .singleValue();
          jdbc.sql(
                  """
                  INSERT INTO moderation_fences (job_id, run_id) VALUES (:job, :run)
                  ON CONFLICT DO NOTHING
                  """)
              .param("job", job)
              .param("run", runId)
              .update();
        });
    log.info("job {}: run {} fenced for its rollback", jobId, runId);
  }

  private static String fenceKey(UUID job) {
    return "moderation-fence:" + job;
  }

  /**
   * A bulk step: runs {@code sql} batch after batch through the {@link BatchLoop}, each batch
   * {@link #fenced}; the statement changes up to {@code :size} rows with ids above {@code :after},
   * records them under {@code :job} (its {@code INSERT INTO moderation_changes} ends with the
   * placeholder {@code {record}}, replaced by {@link #RECORD_OR_REAPPLY}) and answers {@code
   * last_id} and {@code changed}. {@code params} are its other named parameters.
   *
   * @return how many rows of {@code entity} this job has changed, over all its attempts
   */
  long bulkStep(
      String jobId,
      ChangedEntity entity,
      BatchProgress progress,
      Map<String, Object> params,
      String sql) {
    UUID job = UUID.fromString(jobId);
    long before = recorded(job, entity);
    String statement = sql.replace("{record}", RECORD_OR_REAPPLY);
    long changed =
        batches.run(
            progress,
            before,
            (after, size) ->
                fenced(
                    job,
                    () ->
                        jdbc.sql(statement)
                            .params(params)
                            .param("job", job)
                            .param("after", after)
                            .param("size", size)
                            .query(
                                (rs, row) ->
                                    new BatchLoop.Outcome(
                                        rs.getLong("last_id"), rs.getLong("changed")))
                            .single()));
    return before + changed;
  }

  /**
   * Puts back the job's changes to one entity, a batch at a time, marking each record restored in
   * the same statement; restored records drop out of the next batch, so a retry resumes by itself.
   * {@code update} restores the rows of {@code batch(entity_id, previous_state, new_state)}.
   */
  void restore(String jobId, ChangedEntity entity, String update) {
    UUID job = UUID.fromString(jobId);
    long restored = 0;
    int size = batchProperties.maxSize();
    while (true) {
      long batch =
          jdbc.sql(
                  """
                  WITH batch AS (
                    SELECT entity_id, previous_state, new_state FROM moderation_changes
                     WHERE job_id = :job AND entity = :entity AND restored_at IS NULL
                     ORDER BY entity_id LIMIT :size FOR UPDATE),
                  restored AS (%s),
                  marked AS (
                    UPDATE moderation_changes m SET restored_at = now() FROM batch
                     WHERE m.job_id = :job AND m.entity = :entity AND m.entity_id = batch.entity_id)
                  SELECT count(*) FROM batch
                  """
                      .formatted(update))
              .param("job", job)
              .param("entity", entity.name())
              .param("size", size)
              .query(Long.class)
              .single();
      if (batch == 0) {
        break;
      }
      restored += batch;
      Activity.getExecutionContext().heartbeat(restored);
    }
    log.info("job {}: {} {} records restored", jobId, restored, entity);
  }

  /**
   * Undoes this job's {@code entity} changes to {@code state} that are not restored yet, {@code
   * size} at a time: {@code undo} reverts a batch in an external system, then the batch is marked
   * restored, so a retry resumes with what is left.
   */
  void undoRecorded(
      UUID job, ChangedEntity entity, RecordedState state, int size, Consumer<List<Long>> undo) {
    while (true) {
      List<Long> ids =
          jdbc.sql(
                  """
                  SELECT entity_id FROM moderation_changes
                   WHERE job_id = :job AND entity = :entity AND new_state = :state
                     AND restored_at IS NULL
                   ORDER BY entity_id LIMIT :size
                  """)
              .param("job", job)
              .param("entity", entity.name())
              .param("state", state.recorded())
              .param("size", size)
              .query(Long.class)
              .list();
      if (ids.isEmpty()) {
        return;
      }
      undo.accept(ids);
      jdbc.sql(
              """
              UPDATE moderation_changes SET restored_at = now()
               WHERE job_id = :job AND entity = :entity AND entity_id IN (:ids)
              """)
          .param("job", job)
          .param("entity", entity.name())
          .param("ids", ids)
          .update();
      Activity.getExecutionContext().heartbeat(ids.get(ids.size() - 1));
    }
  }

  /**
   * Shows the running step on the job's ledger row ({@code progress_step}, and {@code
   * progress_completed} when the step counts toward the total): for the steps that call the search
   * index or the marketplace, which the {@link BatchLoop} does not run. Never throws: progress is a
   * view, and the batch itself is recorded already.
   */
  void reportStep(String step, Long completed) {
    String workflowId = Activity.getExecutionContext().getInfo().getWorkflowId();
    try {
      jdbc.sql(
              """
              UPDATE jobs SET progress_step = :step,
                              progress_completed = coalesce(CAST(:completed AS bigint),
                                                            progress_completed),
                              updated_at = now()
               WHERE workflow_id = :workflowId
              """)
          .param("step", step)
          .param("completed", completed)
          .param("workflowId", workflowId)
          .update();
    } catch (RuntimeException e) {
      log.warn("workflow {}: could not write progress", workflowId, e);
    }
  }

  /**
   * Records that an external system accepted {@code from} → {@code to} for these ids (a restored
   * record of them becomes current again).
   */
  void recordExternal(
      UUID job, ChangedEntity entity, List<Long> ids, RecordedState from, RecordedState to) {
    jdbc.sql(
            """
            INSERT INTO moderation_changes (job_id, entity, entity_id, previous_state, new_state)
            SELECT :job, :entity, id, :from, :to FROM unnest(CAST(:ids AS bigint[])) AS id
            """
                + RECORD_OR_REAPPLY)
        .param("job", job)
        .param("entity", entity.name())
        .param("from", from.recorded())
        .param("to", to.recorded())
        .param("ids", ids.toArray(Long[]::new))
        .update();
  }

  /**
   * Of these vehicles, those the marketplace has not taken down itself ({@code listing.removed})
   * and the plan-limit checks do not hold back (beyond the tenant's vehicle limit): the only ones a
   * job may list there again, in id order.
   */
  List<Long> listable(List<Long> vehicleIds) {
    return jdbc.sql(
            """
            SELECT id FROM vehicles
             WHERE id IN (:ids) AND marketplace_removed_at IS NULL
               AND NOT EXISTS (SELECT 1 FROM plan_holdbacks h WHERE h.vehicle_id = vehicles.id)
             ORDER BY id
            """)
        .param("ids", vehicleIds)
        .query(Long.class)
        .list();
  }

  /**
   * The idempotency key of one marketplace call: the job, its run, the operation and the batch's
   * ids, so a retried batch (same run, same ids) is recognised by the marketplace, while a run
   * after a reset (which may apply again what a rollback undid) is a new request.
   */
  String idempotencyKey(String jobId, String operation, List<Long> ids) {
    return jobId
        + ":"
        + currentRunId.get()
        + ":"
        + operation
        + ":"
        + ids.get(0)
        + "-"
        + ids.get(ids.size() - 1)
        + ":"
        + ids.size();
  }
}
