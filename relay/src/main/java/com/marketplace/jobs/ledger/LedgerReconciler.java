package com.marketplace.jobs.ledger;

import com.marketplace.jobs.common.FailureType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.client.WorkflowClient;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Makes the ledger follow Temporal's close status when the workflow could not write it itself: an
 * operator terminated it, it timed out, it was cancelled before the interceptor ran, or its last
 * ledger write was lost. Such a row would otherwise stay PENDING/PROCESSING for ever, and an
 * unfinished row refuses later bans, unbans and toggles of its company with 409.
 *
 * <p>Every {@code reconcile-interval} it claims up to {@code reconcile-batch-size} unfinished rows
 * whose workflow was started and that have been unchanged for {@code reconcile-quiet-time}, asked
 * about longest ago first, and asks Temporal about each ({@link TemporalWorkflowCloseLookup}). A
 * closed workflow's row is set as Temporal closed it: COMPLETED, or FAILED/UNRESOLVED with the
 * failure, TERMINATED (and the reason), TIMED_OUT or CANCELED; a workflow Temporal no longer has
 * makes it FAILED with WORKFLOW_NOT_FOUND. A running one (continued-as-new included) is left alone.
 * A job whose cancellation was requested ({@code POST /api/jobs/{id}/cancel}) and whose workflow
 * closed cancelled, terminated or rolled back becomes CANCELLED instead ({@link
 * LedgerCancellation}).
 *
 * <p>A delayed job is left alone until its due time: its workflow only waits for its start delay
 * until then, and asking Temporal about each waiting job every interval would cost a round trip per
 * job for nothing.
 *
 * <p>Every worker runs one. A claim marks its rows ({@code reconcile_checked_at}) with {@code FOR
 * UPDATE SKIP LOCKED}, so two reconcilers never ask about the same row in the same interval, and no
 * row lock is held while Temporal answers. A row is only written if it is exactly as claimed (same
 * {@code updated_at}): a ledger write by the interceptor in between always wins.
 */
public class LedgerReconciler implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(LedgerReconciler.class);

  /** Rows reconciled, by how Temporal closed their workflow (tag {@code close_status}). */
  public static final String RECONCILED_METRIC = "jobs.ledger.reconciled";

  record Unfinished(UUID id, String workflowId, OffsetDateTime updatedAt) {}

  private final JdbcClient jdbc;
  private final WorkflowCloseLookup temporal;
  private final LedgerReconcileProperties properties;
  private final Map<WorkflowClose.Kind, Counter> reconciled =
      new EnumMap<>(WorkflowClose.Kind.class);
  private volatile ScheduledExecutorService timer;

  public LedgerReconciler(
      JdbcClient jdbc,
      WorkflowClient client,
      LedgerReconcileProperties properties,
      MeterRegistry meters) {
    this(jdbc, new TemporalWorkflowCloseLookup(client), properties, meters);
  }

  LedgerReconciler(
      JdbcClient jdbc,
      WorkflowCloseLookup temporal,
      LedgerReconcileProperties properties,
      MeterRegistry meters) {
    this.jdbc = jdbc;
    this.temporal = temporal;
    this.properties = properties;
    for (WorkflowClose.Kind kind : WorkflowClose.Kind.values()) {
      if (kind != WorkflowClose.Kind.RUNNING) {
        reconciled.put(
            kind,
            Counter.builder(RECONCILED_METRIC)
                .description("Unfinished ledger rows set as Temporal closed their workflow")
                .tag("close_status", kind.name())
                .register(meters));
      }
    }
  }

  @Override
  public void start() {
    if (!properties.reconcileEnabled()) {
      return;
    }
    ScheduledExecutorService executor =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "ledger-reconciler");
              thread.setDaemon(true);
              return thread;
            });
    long interval = properties.reconcileInterval().toMillis();
    // Fixed delay: the next pass starts an interval after this one ended, so no row this pass
    // claimed is due again by then.
    executor.scheduleWithFixedDelay(this::passQuietly, interval, interval, TimeUnit.MILLISECONDS);
    timer = executor;
  }

  @Override
  public void stop() {
    ScheduledExecutorService executor = timer;
    if (executor == null) {
      return;
    }
    timer = null;
    executor.shutdownNow();
    try {
      executor.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public boolean isRunning() {
    return timer != null;
  }

  private void passQuietly() {
    try {
      reconcileOnce();
    } catch (RuntimeException e) {
      // A scheduled task that throws is never run again.
      log.warn("ledger reconciler pass failed; trying again next interval", e);
    }
  }

  /**
   * One pass: claims a batch and asks Temporal about each row. Stops at the first question Temporal
   * does not answer; those rows are asked again after an interval. Returns the rows it set.
   */
  public int reconcileOnce() {
    int count = 0;
    for (Unfinished row : claimBatch()) {
      WorkflowClose close;
      try {
        close = temporal.lookUp(row.workflowId());
      } catch (RuntimeException e) {
        log.warn(
            "ledger reconciler: no answer from Temporal about workflow {} ({}); next pass",
            row.workflowId(),
            e.getClass().getSimpleName());
        return count;
      }
      if (close.kind() != WorkflowClose.Kind.RUNNING && follow(row, close)) {
        count++;
        reconciled.get(close.kind()).increment();
        log.info(
            "job {}: workflow {} is {} in Temporal; the ledger follows",
            row.id(),
            row.workflowId(),
            close.kind());
      }
    }
    return count;
  }

  /** Marks and returns the rows this pass asks about; other reconcilers skip them. */
  private List<Unfinished> claimBatch() {
    return jdbc
        .sql(
            """
            UPDATE jobs SET reconcile_checked_at = now()
             WHERE id IN (SELECT id FROM jobs
                           WHERE status IN ('PENDING', 'PROCESSING')
                             AND workflow_started_at IS NOT NULL
                             AND (not_before IS NULL OR not_before <= now())
                             AND updated_at <= now() - make_interval(secs => :quiet)
                             AND (reconcile_checked_at IS NULL
                                  OR reconcile_checked_at <= now() - make_interval(secs => :interval))
                           ORDER BY reconcile_checked_at NULLS FIRST, updated_at
                           LIMIT :batch
                           FOR UPDATE SKIP LOCKED)
            RETURNING id, workflow_id, updated_at
            """)
        .param("quiet", properties.reconcileQuietTime().toMillis() / 1000.0)
        .param("interval", properties.reconcileInterval().toMillis() / 1000.0)
        .param("batch", properties.reconcileBatchSize())
        .query(
            (rs, n) ->
                new Unfinished(
                    rs.getObject("id", UUID.class),
                    rs.getString("workflow_id"),
                    rs.getObject("updated_at", OffsetDateTime.class)))
        .list()
        .stream()
        // RETURNING gives no order: the oldest first, as the claim chose them.
        .sorted(Comparator.comparing(Unfinished::updatedAt))
        .toList();
  }

  /** Sets the row as Temporal closed its workflow, if nothing wrote it since it was claimed. */
  private boolean follow(Unfinished row, WorkflowClose close) {
    return switch (close.kind()) {
      case COMPLETED -> completed(row);
      case FAILED -> failed(row, close.failureType(), close.detail());
      case TERMINATED ->
          failed(
              row,
              FailureType.TERMINATED.name(),
              close.detail() == null || close.detail().isBlank()
                  ? "Terminated in Temporal (no reason given)"
                  : "Terminated in Temporal: " + close.detail());
      case TIMED_OUT ->
          failed(
              row,
              FailureType.TIMED_OUT.name(),
              "Timed out in Temporal (the workflow's execution or run timeout)");
      case CANCELED -> failed(row, FailureType.CANCELED.name(), "Cancelled in Temporal");
      case NOT_FOUND ->
          failed(
              row,
              FailureType.WORKFLOW_NOT_FOUND.name(),
              "Temporal has no workflow "
                  + row.workflowId()
                  + " (deleted, or kept past the namespace's retention); how the job ended is"
                  + " unknown");
      case RUNNING -> false;
    };
  }

  /** As the interceptor's markCompleted writes it. */
  private boolean completed(Unfinished row) {
    return jdbc.sql(
                """
                UPDATE jobs SET status = 'COMPLETED', finished_at = now(), updated_at = now(),
                       started_at = coalesce(started_at, now()),
                       progress_completed = coalesce(progress_total, progress_completed),
                       progress_step = CASE WHEN progress_step IS NULL THEN NULL ELSE 'done' END
                 WHERE id = :id AND status IN ('PENDING', 'PROCESSING')
                   AND updated_at = :updatedAt
                """)
            .param("id", row.id())
            .param("updatedAt", row.updatedAt())
            .update()
        == 1;
  }

  /**
   * As the interceptor's markFailed writes it: FAILED, or CANCELLED for a job whose cancellation
   * was requested and whose workflow ended as a cancellation ends it ({@link LedgerCancellation}).
   */
  private boolean failed(Unfinished row, String type, String message) {
    return jdbc.sql(
                """
                UPDATE jobs SET status = %s, finished_at = now(), updated_at = now(),
                       started_at = %s,
                       last_error_type = :type, last_error_message = :message,
                       resolution = %s
                 WHERE id = :id AND status IN ('PENDING', 'PROCESSING')
                   AND updated_at = :updatedAt
                """
                    .formatted(
                        LedgerCancellation.FAILED_OR_CANCELLED_SQL,
                        LedgerCancellation.STARTED_AT_SQL,
                        LedgerCancellation.RESOLUTION_SQL))
            .param("cancellationEnd", LedgerCancellation.isCancellationEnd(type))
            .param("type", type)
            .param("message", LedgerErrorMessages.withoutPersonalData(message))
            .param("id", row.id())
            .param("updatedAt", row.updatedAt())
            .update()
        == 1;
  }
}
