package com.marketplace.jobs.moderation;

import com.marketplace.jobs.batches.BatchLoop;
import com.marketplace.jobs.batches.BatchProperties;
import io.temporal.activity.Activity;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The record of what a moderation job changed ({@code moderation_changes}), and the loops every
 * moderation step is built from: a bulk change in adaptive batches that records each row it changes
 * in the same statement, and the restores that put back exactly what was recorded.
 */
@Component
class ModerationChanges {

  private static final Logger log = LoggerFactory.getLogger(ModerationChanges.class);

  private final JdbcClient jdbc;
  private final BatchLoop batches;
  private final BatchProperties batchProperties;

  ModerationChanges(JdbcClient jdbc, BatchLoop batches, BatchProperties batchProperties) {
    this.jdbc = jdbc;
    this.batches = batches;
    this.batchProperties = batchProperties;
  }

  /** How many changes to {@code entity} the job has recorded. */
  long recorded(UUID job, String entity) {
    return jdbc.sql(
            "SELECT count(*) FROM moderation_changes WHERE job_id = :job AND entity = :entity")
        .param("job", job)
        .param("entity", entity)
        .query(Long.class)
        .single();
  }

  /**
   * A bulk step: runs {@code sql} batch after batch through the {@link BatchLoop}; the statement
   * changes up to {@code :size} rows with ids above {@code :after}, records them under {@code :job}
   * and answers {@code last_id} and {@code changed}. {@code params} are its other named parameters.
   *
   * @return how many rows of {@code entity} this job has changed, over all its attempts
   */
  long bulkStep(
      String jobId, String entity, BatchProgress progress, Map<String, Object> params, String sql) {
    UUID job = UUID.fromString(jobId);
    long before = recorded(job, entity);
    long changed =
        batches.run(
            progress,
            before,
            (after, size) ->
                jdbc.sql(sql)
                    .params(params)
                    .param("job", job)
                    .param("after", after)
                    .param("size", size)
                    .query(
                        (rs, row) ->
                            new BatchLoop.Outcome(rs.getLong("last_id"), rs.getLong("changed")))
                    .single());
    return before + changed;
  }

  /**
   * Puts back the job's changes to one entity, a batch at a time, marking each record restored in
   * the same statement; restored records drop out of the next batch, so a retry resumes by itself.
   * {@code update} restores the rows of {@code batch(entity_id, previous_state, new_state)}.
   */
  void restore(String jobId, String entity, String update) {
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
              .param("entity", entity)
              .param("size", size)
              .query(Long.class)
              .single();
      if (batch == 0) {
        break;
      }
      restored += batch;
      Activity.getExecutionContext().heartbeat(restored);
    }
    log.info("job {}: {} {} records restored", jobId, restored, entity.toLowerCase());
  }

  /**
   * Undoes this job's {@code entity} changes to {@code state} that are not restored yet, {@code
   * size} at a time: {@code undo} reverts a batch in an external system, then the batch is marked
   * restored, so a retry resumes with what is left.
   */
  void undoRecorded(UUID job, String entity, String state, int size, Consumer<List<Long>> undo) {
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
              .param("entity", entity)
              .param("state", state)
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
          .param("entity", entity)
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

  /** Records that an external system accepted {@code from} → {@code to} for these ids. */
  void recordExternal(UUID job, String entity, List<Long> ids, String from, String to) {
    jdbc.sql(
            """
            INSERT INTO moderation_changes (job_id, entity, entity_id, previous_state, new_state)
            SELECT :job, :entity, id, :from, :to FROM unnest(CAST(:ids AS bigint[])) AS id
            ON CONFLICT DO NOTHING
            """)
        .param("job", job)
        .param("entity", entity)
        .param("from", from)
        .param("to", to)
        .param("ids", ids.toArray(Long[]::new))
        .update();
  }

  /**
   * Of these vehicles, those the marketplace has not taken down itself ({@code listing.removed}):
   * the only ones a job may list there again, in id order.
   */
  List<Long> listable(List<Long> vehicleIds) {
    return jdbc.sql(
            """
            SELECT id FROM vehicles
             WHERE id IN (:ids) AND marketplace_removed_at IS NULL
             ORDER BY id
            """)
        .param("ids", vehicleIds)
        .query(Long.class)
        .list();
  }

  /**
   * The idempotency key of one marketplace call: the job, the operation and the batch's ids, so a
   * retried batch (same ids) is recognised by the marketplace.
   */
  static String idempotencyKey(String jobId, String operation, List<Long> ids) {
    return jobId
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
