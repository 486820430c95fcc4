package com.marketplace.jobs.ledger;

import com.marketplace.jobs.common.FailureType;
import com.marketplace.jobs.scheduling.ScheduleRunActivities;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptorBase;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInfo;
import java.time.Duration;
import org.slf4j.Logger;

/**
 * Keeps every job's ledger row current without any job type writing code for it: registered once on
 * the worker factory, it wraps every workflow and every activity.
 *
 * <ul>
 *   <li>Each activity attempt, local or not: PROCESSING, attempts + 1 (a direct call on the
 *       activity's thread); a failed attempt records the error.
 *   <li>Workflow end: COMPLETED, or FAILED/UNRESOLVED with the root cause's type and message (a
 *       local activity in the workflow's last workflow task).
 * </ul>
 *
 * Nothing here adds a round trip to the Temporal server. The relay records the run id when it
 * starts the workflow; PROCESSING comes with the first activity attempt rather than from a local
 * activity of its own, which would cost the worker a few milliseconds of CPU per job.
 */
public class JobLedgerWorkerInterceptor extends WorkerInterceptorBase {

  private final JobAttemptRecorder attempts;

  public JobLedgerWorkerInterceptor(JobAttemptRecorder attempts) {
    this.attempts = attempts;
  }

  @Override
  public WorkflowInboundCallsInterceptor interceptWorkflow(WorkflowInboundCallsInterceptor next) {
    return new LedgerWorkflowInbound(next);
  }

  @Override
  public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
    return new LedgerActivityInbound(next, attempts);
  }

  public static final class LedgerWorkflowInbound extends WorkflowInboundCallsInterceptorBase {

    private static final Logger log = Workflow.getLogger(LedgerWorkflowInbound.class);

    /**
     * Bookkeeping writes (the ledger, the schedules' run log) must outlast a database blip without
     * failing the job: retried for up to 10 minutes.
     */
    public static final LocalActivityOptions LEDGER_OPTIONS =
        LocalActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofSeconds(10))
            .setScheduleToCloseTimeout(Duration.ofMinutes(10))
            .setRetryOptions(
                RetryOptions.newBuilder()
                    .setInitialInterval(Duration.ofMillis(200))
                    .setMaximumInterval(Duration.ofSeconds(30))
                    .build())
            .build();

    LedgerWorkflowInbound(WorkflowInboundCallsInterceptor next) {
      super(next);
    }

    @Override
    public WorkflowOutput execute(WorkflowInput input) {
      WorkflowInfo info = Workflow.getInfo();
      JobLedgerActivities ledger =
          Workflow.newLocalActivityStub(JobLedgerActivities.class, LEDGER_OPTIONS);
      String workflowId = info.getWorkflowId();
      WorkflowOutput output;
      try {
        output = super.execute(input);
      } catch (TemporalFailure failure) {
        // A cancelled workflow's own scope is cancelled: record the failure in a detached one.
        Workflow.newDetachedCancellationScope(
                () ->
                    bestEffort(
                        () -> ledger.markFailed(workflowId, errorType(failure), message(failure))))
            .run();
        throw failure;
      }
      bestEffort(() -> ledger.markCompleted(workflowId));
      return output;
    }

    private static void bestEffort(Runnable ledgerWrite) {
      try {
        ledgerWrite.run();
      } catch (ActivityFailure e) {
        log.warn("ledger write gave up; the job itself is unaffected", e);
      }
    }
  }

  static final class LedgerActivityInbound extends ActivityInboundCallsInterceptorBase {

    private final JobAttemptRecorder attempts;
    private ActivityExecutionContext context;

    LedgerActivityInbound(ActivityInboundCallsInterceptor next, JobAttemptRecorder attempts) {
      super(next);
      this.attempts = attempts;
    }

    @Override
    public void init(ActivityExecutionContext context) {
      this.context = context;
      super.init(context);
    }

    @Override
    public ActivityOutput execute(ActivityInput input) {
      var info = context.getInfo();
      // The ledger's own writes and the run log's (which creates a scheduled run's row) are
      // bookkeeping, not attempts at the job.
      if (JobLedgerActivities.ACTIVITY_TYPES.contains(info.getActivityType())
          || ScheduleRunActivities.ACTIVITY_TYPES.contains(info.getActivityType())) {
        return super.execute(input);
      }
      attempts.attemptStarted(info.getWorkflowId(), info.getRunId());
      try {
        return super.execute(input);
      } catch (RuntimeException e) {
        attempts.attemptFailed(info.getWorkflowId(), errorType(e), message(e));
        throw e;
      }
    }
  }

  /** The most specific failure type: an ApplicationFailure's type, else the exception class. */
  public static String errorType(Throwable failure) {
    Throwable root = rootCause(failure);
    if (root instanceof ApplicationFailure application) {
      return application.getType();
    }
    if (root instanceof TimeoutFailure timeout) {
      return "TIMEOUT_" + timeout.getTimeoutType().name().replace("TIMEOUT_TYPE_", "");
    }
    if (root instanceof CanceledFailure) {
      return FailureType.CANCELED.name();
    }
    return root.getClass().getSimpleName();
  }

  public static String message(Throwable failure) {
    Throwable root = rootCause(failure);
    String message =
        root instanceof ApplicationFailure application
            ? application.getOriginalMessage()
            : root.getMessage();
    return message == null ? root.getClass().getSimpleName() : message;
  }

  private static Throwable rootCause(Throwable failure) {
    Throwable current = failure;
    while (current.getCause() != null && current.getCause() != current) {
      current = current.getCause();
    }
    return current;
  }
}
