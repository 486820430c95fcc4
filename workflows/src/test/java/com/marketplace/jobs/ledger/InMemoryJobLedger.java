package com.marketplace.jobs.ledger;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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
  }

  private final Map<String, Row> rows = new ConcurrentHashMap<>();

  public Row row(String workflowId) {
    return rows.computeIfAbsent(workflowId, id -> new Row());
  }

  @Override
  public void markCompleted(String workflowId) {
    row(workflowId).status = "COMPLETED";
  }

  @Override
  public void markFailed(String workflowId, String errorType, String errorMessage) {
    Row row = row(workflowId);
    row.status = "FAILED";
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
