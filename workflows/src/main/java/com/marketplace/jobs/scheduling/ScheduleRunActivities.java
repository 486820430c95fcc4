package com.marketplace.jobs.scheduling;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.Set;

/**
 * The run log's writes, called by {@link ScheduledRunWorkerInterceptor} as local activities. Each
 * is keyed by the run (workflow id and run id), so a retried or replayed call changes nothing more.
 */
@ActivityInterface(namePrefix = "ScheduleRun")
public interface ScheduleRunActivities {

  /** Activity type names of this interface, which the ledger's attempt counter leaves out. */
  Set<String> ACTIVITY_TYPES = Set.of("ScheduleRunStarted", "ScheduleRunFinished");

  /**
   * The run is in the run log as RUNNING, and in the job ledger as a PROCESSING job of its workflow
   * type's job type (id derived from the workflow id). Idempotency key: the workflow and run ids;
   * undone by nothing (the retention workflow deletes old rows).
   */
  @ActivityMethod
  void started(ScheduledRunStart run);

  /**
   * The run's outcome and finish time; a run already finished keeps its first outcome. Idempotency
   * key: the workflow and run ids.
   */
  @ActivityMethod
  void finished(String workflowId, String runId, ScheduledRunOutcome outcome, String errorType);
}
