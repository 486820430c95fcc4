package com.marketplace.jobs.ledger;

import java.util.Optional;

/** What Temporal says a running workflow's activities are doing (DescribeWorkflowExecution). */
public interface PendingActivities {

  /**
   * The workflow's pending activity at attempt {@code minAttempt} or later, if any.
   *
   * @param workflowId the job's workflow (its latest run)
   */
  Optional<Retrying> retrying(String workflowId, int minAttempt);

  /**
   * A pending activity that is retrying.
   *
   * @param activityType its type (the activity method's name)
   * @param attempt the attempt Temporal is on
   * @param lastFailure the last attempt's failure message, as Temporal keeps it (not yet masked)
   */
  record Retrying(String activityType, int attempt, String lastFailure) {}
}
