package com.marketplace.jobs.ops;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * The operations alerts (schedule {@code ops-alerts}, every minute, overlap SKIP): one check claims
 * the new alert conditions and sends each alert by email and to the webhook, each delivery an
 * activity with its own retries. It never touches the jobs it reports on.
 */
@WorkflowInterface
public interface OpsAlertsWorkflow {

  /**
   * One check. A delivery that exhausts its retries leaves its alert unsent, and the next check
   * sends it again; the run still completes. Idempotent: a second check finds nothing new.
   *
   * @return the deliveries made (an email or a webhook post each)
   */
  @WorkflowMethod
  int checkOpsAlerts();
}
