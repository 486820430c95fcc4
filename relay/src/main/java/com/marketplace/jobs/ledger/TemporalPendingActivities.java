package com.marketplace.jobs.ledger;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** {@link PendingActivities} from DescribeWorkflowExecution, one call per workflow asked about. */
public final class TemporalPendingActivities implements PendingActivities {

  private static final long DEADLINE_SECONDS = 10;

  private final WorkflowClient client;

  public TemporalPendingActivities(WorkflowClient client) {
    this.client = client;
  }

  @Override
  public Optional<Retrying> retrying(String workflowId, int minAttempt) {
    try {
      return client
          .getWorkflowServiceStubs()
          .blockingStub()
          .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
          .describeWorkflowExecution(
              DescribeWorkflowExecutionRequest.newBuilder()
                  .setNamespace(client.getOptions().getNamespace())
                  .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                  .build())
          .getPendingActivitiesList()
          .stream()
          .filter(activity -> activity.getAttempt() >= minAttempt)
          .max(Comparator.comparingInt(PendingActivityInfo::getAttempt))
          .map(
              activity ->
                  new Retrying(
                      activity.getActivityType().getName(),
                      activity.getAttempt(),
                      activity.hasLastFailure() ? activity.getLastFailure().getMessage() : null));
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }
}
