package com.marketplace.jobs.api.jobs;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import org.springframework.stereotype.Component;

/** {@link WorkflowCancellation} through the api's Temporal client. */
@Component
class TemporalWorkflowCancellation implements WorkflowCancellation {

  private final WorkflowClient client;

  TemporalWorkflowCancellation(WorkflowClient client) {
    this.client = client;
  }

  @Override
  public boolean terminate(String workflowId, String reason) {
    try {
      client.newUntypedWorkflowStub(workflowId).terminate(reason);
      return true;
    } catch (WorkflowNotFoundException closed) {
      return false;
    }
  }

  @Override
  public boolean requestCancel(String workflowId) {
    try {
      client.newUntypedWorkflowStub(workflowId).cancel();
      return true;
    } catch (WorkflowNotFoundException closed) {
      return false;
    }
  }
}
