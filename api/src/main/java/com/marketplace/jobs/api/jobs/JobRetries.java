package com.marketplace.jobs.api.jobs;

import com.marketplace.jobs.api.intake.JobCounters;
import com.marketplace.jobs.api.problems.ApiProblem;
import com.marketplace.jobs.common.JobType;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.api.workflowservice.v1.ResetWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What an operator does with a failed job, from /ops or the api. A retry re-runs the job's workflow
 * from its start (Temporal's reset to the first workflow task, as {@code temporal workflow reset
 * --type FirstWorkflowTask} does): the same input, the same workflow id, a new run; the ledger row
 * becomes PROCESSING with resolution RETRIED and a {@code job_retries} row links the failed run to
 * the new one. The activities are idempotent per job, so work the failed run had done is not done
 * twice. A resolution marks a failure a person fixed by hand, with their comment.
 */
@Service
public class JobRetries {

  /** A bulk retry handles at most this many jobs per call; the answer says how many remain. */
  public static final int BULK_LIMIT = 200;

  private static final Logger log = LoggerFactory.getLogger(JobRetries.class);

  /** How long a retry waits for Temporal to close a run the ledger already calls FAILED. */
  private static final int CLOSE_LOOKS = 10;

  private static final java.time.Duration CLOSE_LOOK_INTERVAL = java.time.Duration.ofMillis(300);

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final WorkflowClient temporal;
  private final JobQueries queries;
  private final JobCounters counters;

  JobRetries(
      JdbcClient jdbc,
      TransactionTemplate transactions,
      WorkflowClient temporal,
      JobQueries queries,
      JobCounters counters) {
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.temporal = temporal;
    this.queries = queries;
    this.counters = counters;
  }

  /** A retried job: its new run. */
  public record Retried(UUID jobId, String workflowId, String runId) {}

  /** A job a bulk retry did not retry, and why. */
  public record NotRetried(UUID jobId, String reason) {}

  /**
   * @param matched failed, unresolved jobs matching the filter (all of them, not only this call's)
   * @param remaining matched jobs left for another call (over the per-call limit)
   */
  public record BulkResult(
      int matched, List<Retried> retried, List<NotRetried> notRetried, int remaining) {}

  /**
   * Retries one failed job.
   *
   * @throws ApiProblem 404 unknown job; 409 not FAILED, or its workflow cannot be re-run (never
   *     started, still running in Temporal); 503 Temporal unreachable
   */
  public Retried retry(UUID jobId, String by) {
    RetryCommitted committed = transactions.execute(status -> retryInTransaction(jobId, by));
    // Counted once committed; the worker does not count it again (the row is PROCESSING already).
    JobType.byId(committed.type()).ifPresent(counters::retried);
    return committed.retried();
  }

  private record RetryCommitted(Retried retried, String type) {}

  /**
   * Retries every failed, unresolved job accepted within {@code period} (of {@code type}, if
   * given), oldest first, at most {@link #BULK_LIMIT}; each one on its own, so one that cannot be
   * retried does not hold back the others.
   */
  public BulkResult retryAll(String type, StatsPeriod period, String by) {
    List<UUID> matching = queries.failedUnresolvedIds(type, period);
    List<Retried> retried = new ArrayList<>();
    List<NotRetried> notRetried = new ArrayList<>();
    for (UUID jobId : matching.subList(0, Math.min(BULK_LIMIT, matching.size()))) {
      try {
        retried.add(retry(jobId, by));
      } catch (ApiProblem refused) {
        notRetried.add(new NotRetried(jobId, refused.getMessage()));
      }
    }
    // Who asked is kept in job_retries, not in the log: an operator's user name may be a name.
    log.info(
        "bulk retry: {} matched, {} retried, {} not retried",
        matching.size(),
        retried.size(),
        notRetried.size());
    return new BulkResult(
        matching.size(), retried, notRetried, Math.max(0, matching.size() - BULK_LIMIT));
  }

  /**
   * Marks a failed job RESOLVED: a person fixed what it was for by hand.
   *
   * @throws ApiProblem 404 unknown job; 409 not FAILED
   */
  public void resolve(UUID jobId, String comment, String by) {
    transactions.executeWithoutResult(
        status -> {
          String current = lockedStatus(jobId);
          if (!"FAILED".equals(current)) {
            throw new ApiProblem(
                HttpStatus.CONFLICT,
                "Job is not failed",
                "Only a failed job can be marked resolved; job " + jobId + " is " + current + ".");
          }
          jdbc.sql(
                  """
                  UPDATE jobs SET resolution = 'RESOLVED', resolved_by = :by, resolved_at = now(),
                         resolution_comment = :comment, updated_at = now()
                   WHERE id = :id
                  """)
              .param("id", jobId)
              .param("by", by)
              .param("comment", comment)
              .update();
        });
    log.info("job {}: marked resolved", jobId);
  }

  private RetryCommitted retryInTransaction(UUID jobId, String by) {
    String current = lockedStatus(jobId);
    if (!"FAILED".equals(current)) {
      throw new ApiProblem(
          HttpStatus.CONFLICT,
          "Job is not failed",
          "Only a failed job can be retried; job " + jobId + " is " + current + ".");
    }
    var row =
        jdbc.sql("SELECT type, workflow_id, run_id, workflow_started_at FROM jobs WHERE id = :id")
            .param("id", jobId)
            .query()
            .singleRow();
    String workflowId = (String) row.get("workflow_id");
    if (row.get("workflow_started_at") == null) {
      throw new ApiProblem(
          HttpStatus.CONFLICT,
          "Job cannot be retried",
          "Job "
              + jobId
              + " never started: Temporal refused its workflow, so there is no run to repeat;"
              + " fix the cause and trigger the job again.");
    }
    String failedRun;
    String newRun;
    try {
      failedRun = closedRunOf(jobId, workflowId);
      newRun = resetToStart(workflowId, failedRun, by);
    } catch (StatusRuntimeException e) {
      throw refusal(jobId, e);
    }
    jdbc.sql(
            """
            UPDATE jobs SET status = 'PROCESSING', resolution = 'RETRIED', run_id = :run,
                   finished_at = NULL, updated_at = now()
             WHERE id = :id
            """)
        .param("id", jobId)
        .param("run", newRun)
        .update();
    jdbc.sql(
            """
            INSERT INTO job_retries (job_id, retried_by, failed_run_id, new_run_id)
            VALUES (:id, :by, :failed, :new)
            """)
        .param("id", jobId)
        .param("by", by)
        .param("failed", failedRun)
        .param("new", newRun)
        .update();
    log.info("job {}: retried, run {} replaces {}", jobId, newRun, failedRun);
    return new RetryCommitted(new Retried(jobId, workflowId, newRun), (String) row.get("type"));
  }

  /** Temporal unreachable or overloaded: 503, try again; anything else it refuses: 409, why. */
  private static ApiProblem refusal(UUID jobId, StatusRuntimeException e) {
    io.grpc.Status.Code code = e.getStatus().getCode();
    return switch (code) {
      case UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, ABORTED, INTERNAL, UNKNOWN ->
          new ApiProblem(
              HttpStatus.SERVICE_UNAVAILABLE,
              "Temporal unavailable",
              "Temporal did not re-run job " + jobId + " (" + code + "); try again.");
      // The namespace keeps a closed workflow's history 24 hours (docs/operations.md#retention):
      // after that there is nothing to re-run.
      case NOT_FOUND ->
          new ApiProblem(
              HttpStatus.CONFLICT,
              "Job cannot be retried",
              "Temporal no longer has job "
                  + jobId
                  + "'s workflow (its history expired); trigger the job again.");
      default ->
          new ApiProblem(
              HttpStatus.CONFLICT,
              "Job cannot be retried",
              "Temporal refused to re-run job " + jobId + " (" + code + ").");
    };
  }

  private String lockedStatus(UUID jobId) {
    return jdbc.sql("SELECT status FROM jobs WHERE id = :id FOR UPDATE")
        .param("id", jobId)
        .query(String.class)
        .optional()
        .orElseThrow(() -> ApiProblem.notFound("No job " + jobId + "."));
  }

  /** The workflow's latest run, which must have closed (a running one is not a failed job). */
  private String closedRunOf(UUID jobId, String workflowId) {
    // The ledger says FAILED from the workflow's last task, a moment before Temporal closes the
    // run: a retry clicked at once waits for that close, briefly.
    for (int look = 1; ; look++) {
      var info =
          temporal
              .getWorkflowServiceStubs()
              .blockingStub()
              .describeWorkflowExecution(
                  DescribeWorkflowExecutionRequest.newBuilder()
                      .setNamespace(temporal.getOptions().getNamespace())
                      .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                      .build())
              .getWorkflowExecutionInfo();
      if (info.getStatus() != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
        return info.getExecution().getRunId();
      }
      if (look == CLOSE_LOOKS) {
        throw new ApiProblem(
            HttpStatus.CONFLICT,
            "Job cannot be retried",
            "Job " + jobId + "'s workflow is still running in Temporal; wait for it to end.");
      }
      try {
        Thread.sleep(CLOSE_LOOK_INTERVAL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ApiProblem(
            HttpStatus.SERVICE_UNAVAILABLE, "Interrupted", "The retry was interrupted; try again.");
      }
    }
  }

  /** Temporal's reset to the end of the run's first workflow task: the run starts over. */
  private String resetToStart(String workflowId, String runId, String by) {
    var stub = temporal.getWorkflowServiceStubs().blockingStub();
    String namespace = temporal.getOptions().getNamespace();
    WorkflowExecution execution =
        WorkflowExecution.newBuilder().setWorkflowId(workflowId).setRunId(runId).build();
    Optional<Long> firstTask =
        stub
            .getWorkflowExecutionHistory(
                GetWorkflowExecutionHistoryRequest.newBuilder()
                    .setNamespace(namespace)
                    .setExecution(execution)
                    .setMaximumPageSize(20)
                    .build())
            .getHistory()
            .getEventsList()
            .stream()
            .filter(event -> event.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)
            .map(HistoryEvent::getEventId)
            .findFirst();
    if (firstTask.isEmpty()) {
      throw new ApiProblem(
          HttpStatus.CONFLICT,
          "Job cannot be retried",
          "Workflow " + workflowId + " ended before its first step; trigger the job again.");
    }
    return stub.resetWorkflowExecution(
            ResetWorkflowExecutionRequest.newBuilder()
                .setNamespace(namespace)
                .setWorkflowExecution(execution)
                .setWorkflowTaskFinishEventId(firstTask.get())
                .setReason("retried by " + by)
                .setRequestId(UUID.randomUUID().toString())
                .build())
        .getRunId();
  }
}
