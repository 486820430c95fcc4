package com.marketplace.jobs.ledger;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** The ledger's status transitions, kept in memory for workflow unit tests. */
public class InMemoryJobLedger implements JobLedgerActivities, JobAttemptRecorder {

  /** What a ledger row would show. */
  public static final class Row {
    public volatile String status = "PENDING";
    public volatile int attempts;
    public volatile String runId;
    public volatile String errorType;
    public volatile String errorMessage;
    public volatile String resolution;

    /** Every end recorded for the job, in order: COMPLETED or FAILED. */
    public final List<String> ends = new CopyOnWriteArrayList<>();
  }

  private final Map<String, Row> rows = new ConcurrentHashMap<>();

  public Row row(String workflowId) {
    return rows.computeIfAbsent(workflowId, id -> new Row());
  }

  @Override
  public void markCompleted(String workflowId) {
    Row row = row(workflowId);
    row.status = "COMPLETED";
    row.ends.add("COMPLETED");
  }

  @Override
  public void markFailed(String workflowId, String errorType, String errorMessage) {
    Row row = row(workflowId);
    row.status = "FAILED";
    row.ends.add("FAILED");
    row.resolution = "UNRESOLVED";
    row.errorType = errorType;
    row.errorMessage = errorMessage;
  }

  @Override
  public void attemptStarted(String workflowId, String runId) {
    Row row = row(workflowId);
    row.attempts++;
    row.status = "PROCESSING";
    row.runId = runId;
  }

  @Override
  public void attemptFailed(String workflowId, String errorType, String errorMessage) {
    Row row = row(workflowId);
    row.errorType = errorType;
    row.errorMessage = errorMessage;
  }
}
