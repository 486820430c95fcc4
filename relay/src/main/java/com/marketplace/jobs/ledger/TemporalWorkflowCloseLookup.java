package com.marketplace.jobs.ledger;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.HistoryEventFilterType;
import io.temporal.api.errordetails.v1.NotFoundFailure;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.StatusUtils;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * DescribeWorkflowExecution by workflow id (no run id: the latest run, so a continued-as-new chain
 * is followed to its running end), and for a run that closed other than COMPLETED its close event,
 * which carries the failure, the termination reason or the timeout.
 *
 * <p>Describe rather than a visibility query: it reads the workflow's own state, not an eventually
 * consistent index, so a closed run is never reported running nor a fresh one missing; it tells a
 * workflow Temporal does not have (NOT_FOUND) apart from one it merely has not indexed yet; and it
 * costs one call per row the interceptor did not finish, which in steady state are a handful.
 */
final class TemporalWorkflowCloseLookup implements WorkflowCloseLookup {

  private static final long DEADLINE_SECONDS = 10;

  private final WorkflowClient client;

  TemporalWorkflowCloseLookup(WorkflowClient client) {
    this.client = client;
  }

  @Override
  public WorkflowClose lookUp(String workflowId) {
    String namespace = client.getOptions().getNamespace();
    WorkflowExecutionInfo info;
    try {
      info =
          service()
              .describeWorkflowExecution(
                  DescribeWorkflowExecutionRequest.newBuilder()
                      .setNamespace(namespace)
                      .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                      .build())
              .getWorkflowExecutionInfo();
    } catch (StatusRuntimeException e) {
      // An unknown workflow says so in its details; an unknown namespace is NOT_FOUND too, and
      // must not fail every job.
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND
          && StatusUtils.hasFailure(e, NotFoundFailure.class)) {
        return WorkflowClose.of(WorkflowClose.Kind.NOT_FOUND);
      }
      throw e;
    }
    return switch (info.getStatus()) {
      case WORKFLOW_EXECUTION_STATUS_COMPLETED -> WorkflowClose.of(WorkflowClose.Kind.COMPLETED);
      case WORKFLOW_EXECUTION_STATUS_FAILED,
          WORKFLOW_EXECUTION_STATUS_TERMINATED,
          WORKFLOW_EXECUTION_STATUS_TIMED_OUT,
          WORKFLOW_EXECUTION_STATUS_CANCELED ->
          fromCloseEvent(namespace, info.getExecution());
      // Running, paused, or continued as new (the latest run of a chain is never that).
      default -> WorkflowClose.of(WorkflowClose.Kind.RUNNING);
    };
  }

  private WorkflowClose fromCloseEvent(String namespace, WorkflowExecution run) {
    List<HistoryEvent> events =
        service()
            .getWorkflowExecutionHistory(
                GetWorkflowExecutionHistoryRequest.newBuilder()
                    .setNamespace(namespace)
                    .setExecution(run)
                    .setHistoryEventFilterType(
                        HistoryEventFilterType.HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT)
                    .build())
            .getHistory()
            .getEventsList();
    if (events.isEmpty()) {
      return WorkflowClose.of(WorkflowClose.Kind.RUNNING);
    }
    HistoryEvent close = events.get(events.size() - 1);
    return switch (close.getEventType()) {
      case EVENT_TYPE_WORKFLOW_EXECUTION_FAILED -> {
        RuntimeException failure =
            client
                .getOptions()
                .getDataConverter()
                .failureToException(close.getWorkflowExecutionFailedEventAttributes().getFailure());
        yield new WorkflowClose(
            WorkflowClose.Kind.FAILED,
            JobLedgerWorkerInterceptor.errorType(failure),
            JobLedgerWorkerInterceptor.message(failure));
      }
      case EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED ->
          new WorkflowClose(
              WorkflowClose.Kind.TERMINATED,
              null,
              close.getWorkflowExecutionTerminatedEventAttributes().getReason());
      case EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT ->
          WorkflowClose.of(WorkflowClose.Kind.TIMED_OUT);
      case EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED -> WorkflowClose.of(WorkflowClose.Kind.CANCELED);
      case EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED ->
          WorkflowClose.of(WorkflowClose.Kind.COMPLETED);
      default -> WorkflowClose.of(WorkflowClose.Kind.RUNNING);
    };
  }

  private WorkflowServiceGrpc.WorkflowServiceBlockingStub service() {
    return client
        .getWorkflowServiceStubs()
        .blockingStub()
        .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
  }
}
