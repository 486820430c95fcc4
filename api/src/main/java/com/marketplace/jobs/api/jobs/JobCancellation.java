package com.marketplace.jobs.api.jobs;

import com.marketplace.jobs.api.intake.JobCounters;
import com.marketplace.jobs.api.problems.ApiProblem;
import com.marketplace.jobs.common.JobType;
import io.temporal.client.WorkflowException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code POST /api/jobs/{id}/cancel}, decided under the job's row lock, which the relay also takes
 * around each start (so a start and a cancellation never interleave):
 *
 * <ul>
 *   <li>Not yet handed to Temporal: CANCELLED at once, and never claimed again; the relay finds it
 *       no longer owed a start even if it had claimed it a moment before.
 *   <li>Handed to Temporal and still waiting for its due time (PENDING, due more than {@link
 *       #TERMINATE_MARGIN} from now): nothing has run, so the workflow is terminated and the job is
 *       CANCELLED at once.
 *   <li>Running (or due any moment): the workflow is asked to cancel; its activities are cancelled,
 *       a saga compensates in a detached scope, and the job becomes CANCELLED when the workflow
 *       closes so ({@code LedgerCancellation}, written by the ledger interceptor or the
 *       reconciler).
 *   <li>Already CANCELLED: the same answer again. COMPLETED or FAILED: 409, nothing to cancel.
 * </ul>
 *
 * The row records {@code cancel_requested_at} before Temporal is asked, so whichever way the
 * workflow's close reaches the ledger, it reads as a cancellation.
 */
@Service
class JobCancellation {

  private static final Logger log = LoggerFactory.getLogger(JobCancellation.class);

  /**
   * A delayed job due sooner than this is cancelled gracefully rather than terminated: its first
   * workflow task may already be running, and a terminated saga would not compensate.
   */
  static final Duration TERMINATE_MARGIN = Duration.ofSeconds(2);

  /** What the row said under its lock, and what to do about it. */
  enum Action {
    /** CANCELLED in the ledger already (now or earlier): nothing to ask of Temporal. */
    NONE,
    TERMINATE,
    REQUEST_CANCEL
  }

  /**
   * @param type the job type's id
   * @param cancelledNow this call made the job CANCELLED (counted in {@code jobs.cancelled})
   */
  private record Locked(
      String status,
      String type,
      String workflowId,
      boolean handedToTemporal,
      boolean waiting,
      boolean cancelledNow) {}

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final WorkflowCancellation temporal;
  private final JobQueries jobs;
  private final JobCounters counters;

  JobCancellation(
      JdbcClient jdbc,
      TransactionTemplate transactions,
      WorkflowCancellation temporal,
      JobQueries jobs,
      JobCounters counters) {
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.temporal = temporal;
    this.jobs = jobs;
    this.counters = counters;
  }

  /** Cancels the job as the class comment says; returns it as it stands afterwards. */
  JobView cancel(UUID jobId) {
    Action action;
    String workflowId;
    String type;
    try {
      Locked row = transactions.execute(status -> lockAndRecord(jobId));
      action = actionFor(row);
      workflowId = row.workflowId();
      type = row.type();
      if (row.cancelledNow()) {
        countCancelled(type);
      }
    } catch (PessimisticLockingFailureException busy) {
      throw new ApiProblem(
          HttpStatus.SERVICE_UNAVAILABLE,
          "Job busy",
          "Job " + jobId + " is being started right now; try the cancellation again shortly.");
    }
    try {
      switch (action) {
        case TERMINATE -> {
          if (temporal.terminate(workflowId, "Cancelled through the api before its due time")) {
            if (markCancelled(jobId)) {
              countCancelled(type);
            }
            log.info(
                "job {}: cancelled before its due time; workflow {} terminated", jobId, workflowId);
          } else {
            // Closed meanwhile: the ledger interceptor or the reconciler records how.
            log.info("job {}: workflow {} had already closed", jobId, workflowId);
          }
        }
        case REQUEST_CANCEL -> {
          temporal.requestCancel(workflowId);
          log.info("job {}: cancellation of workflow {} requested", jobId, workflowId);
        }
        case NONE -> {}
      }
    } catch (WorkflowException unreachable) {
      log.warn(
          "job {}: Temporal did not take the cancellation of workflow {} ({})",
          jobId,
          workflowId,
          unreachable.getClass().getSimpleName());
      throw new ApiProblem(
          HttpStatus.SERVICE_UNAVAILABLE,
          "Temporal unavailable",
          "The cancellation of job "
              + jobId
              + " is recorded, but Temporal could not be reached to stop its workflow; ask again"
              + " shortly.");
    }
    return jobs.find(jobId).orElseThrow();
  }

  private Locked lockAndRecord(UUID jobId) {
    // The relay holds the lock across one StartWorkflow call (seconds at most); wait that long.
    jdbc.sql("SET LOCAL lock_timeout = '15s'").update();
    Locked row =
        jdbc.sql(
                """
                SELECT status, type, workflow_id, workflow_started_at IS NOT NULL AS handed,
                       status = 'PENDING' AND attempts = 0
                         AND not_before > now() + make_interval(secs => :margin) AS waiting
                  FROM jobs WHERE id = :id FOR UPDATE
                """)
            .param("id", jobId)
            .param("margin", TERMINATE_MARGIN.toSeconds())
            .query(
                (rs, n) ->
                    new Locked(
                        rs.getString("status"),
                        rs.getString("type"),
                        rs.getString("workflow_id"),
                        rs.getBoolean("handed"),
                        rs.getBoolean("waiting"),
                        false))
            .optional()
            .orElseThrow(() -> ApiProblem.notFound("No job with id " + jobId + "."));
    switch (row.status()) {
      case "COMPLETED", "FAILED" ->
          throw new ApiProblem(
              HttpStatus.CONFLICT,
              "Job already finished",
              "Job " + jobId + " is " + row.status() + "; there is nothing left to cancel.",
              Map.of("jobId", jobId, "jobStatus", row.status()));
      case "CANCELLED" -> {
        return row;
      }
      default -> {}
    }
    if (!row.handedToTemporal()) {
      // Never claimed again: the relay's claim and its start both need a PENDING row.
      jdbc.sql(
              """
              UPDATE jobs SET status = 'CANCELLED', finished_at = now(), updated_at = now(),
                     cancel_requested_at = coalesce(cancel_requested_at, now()),
                     relay_next_attempt_at = 'infinity'
               WHERE id = :id
              """)
          .param("id", jobId)
          .update();
      return new Locked("CANCELLED", row.type(), row.workflowId(), false, false, true);
    }
    jdbc.sql(
            """
            UPDATE jobs SET cancel_requested_at = coalesce(cancel_requested_at, now()),
                   updated_at = now()
             WHERE id = :id
            """)
        .param("id", jobId)
        .update();
    return row;
  }

  private static Action actionFor(Locked row) {
    if ("CANCELLED".equals(row.status())) {
      return Action.NONE;
    }
    return row.waiting() ? Action.TERMINATE : Action.REQUEST_CANCEL;
  }

  /**
   * After the termination: nothing ran, so the job ends here rather than at the reconciler. Returns
   * whether this call made it CANCELLED.
   */
  private boolean markCancelled(UUID jobId) {
    return jdbc.sql(
                """
                UPDATE jobs SET status = 'CANCELLED', finished_at = now(), updated_at = now()
                 WHERE id = :id AND status = 'PENDING'
                """)
            .param("id", jobId)
            .update()
        == 1;
  }

  /** A job the api itself ended CANCELLED; one cancelled by its workflow the worker counts. */
  private void countCancelled(String type) {
    JobType.byId(type).ifPresent(counters::cancelled);
  }
}
