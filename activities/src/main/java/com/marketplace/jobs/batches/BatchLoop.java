package com.marketplace.jobs.batches;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.marketplace.jobs.moderation.BatchProgress;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import java.time.Duration;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Runs a bulk step inside one activity: batch after batch, each its own short transaction, with the
 * batch size from a {@link BatchSizer}. After every batch it heartbeats the last id done (a retried
 * attempt resumes after it, so no finished batch is redone) and writes the job's progress to the
 * ledger.
 */
@Component
public class BatchLoop {

  /** One batch: change up to {@code size} rows with ids above {@code after}. */
  @FunctionalInterface
  public interface Batch {
    Outcome run(long after, int size);
  }

  /**
   * @param lastId the highest id the batch looked at, or -1 when there was nothing left
   * @param changed how many rows it changed
   */
  public record Outcome(long lastId, long changed) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final JdbcClient jdbc;
  private final BatchProperties properties;

  public BatchLoop(JdbcClient jdbc, BatchProperties properties) {
    this.jdbc = jdbc;
    this.properties = properties;
  }

  /**
   * Runs batches until one finds nothing left.
   *
   * @param doneBefore rows this job changed in this step before this attempt (on a retry)
   * @return rows changed by this attempt
   */
  public long run(BatchProgress progress, long doneBefore, Batch batch) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    long after = context.getHeartbeatDetails(Long.class).orElse(0L);
    BatchSizer sizer = properties.newSizer();
    long changed = 0;
    while (true) {
      int size = sizer.next();
      long started = System.nanoTime();
      Outcome outcome = batch.run(after, size);
      sizer.record(size, Duration.ofNanos(System.nanoTime() - started));
      if (outcome.lastId() < 0) {
        return changed;
      }
      after = outcome.lastId();
      changed += outcome.changed();
      context.heartbeat(after);
      reportProgress(
          context.getInfo().getWorkflowId(),
          progress.step(),
          progress.offset() + doneBefore + changed,
          progress.total(),
          sizer.recentSizes());
    }
  }

  /**
   * Writes a bulk job's progress to its ledger row ({@code progress_completed}, {@code _total},
   * {@code _step}, {@code _batch_sizes}), as {@link #run} does after every batch. Never throws:
   * progress is a view, and the batch itself is committed already.
   */
  public void reportProgress(
      String workflowId, String step, long completed, long total, List<Integer> batchSizes) {
    try {
      jdbc.sql(
              """
              UPDATE jobs SET progress_completed = :completed,
                              progress_total = greatest(:total, :completed),
                              progress_step = :step,
                              progress_batch_sizes = CAST(:sizes AS jsonb), updated_at = now()
               WHERE workflow_id = :workflowId
              """)
          .param("completed", completed)
          .param("total", total)
          .param("step", step)
          .param("sizes", JSON.writeValueAsString(batchSizes))
          .param("workflowId", workflowId)
          .update();
    } catch (Exception e) {
      org.slf4j.LoggerFactory.getLogger(BatchLoop.class)
          .warn("workflow {}: could not write progress", workflowId, e);
    }
  }
}
