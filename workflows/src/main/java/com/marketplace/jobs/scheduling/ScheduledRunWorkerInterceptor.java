package com.marketplace.jobs.scheduling;

import com.marketplace.jobs.ledger.JobLedgerWorkerInterceptor;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.SearchAttributes;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptorBase;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInfo;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.slf4j.Logger;

/**
 * Records every run a Temporal Schedule starts, whatever its workflow: registered once on the
 * worker factory, it wraps every workflow and acts on those carrying the search attributes Temporal
 * sets on scheduled runs. When the run's first workflow task executes, a local activity writes the
 * run log row (scheduled time, Temporal's start, the worker's start) and the job's ledger row; when
 * the run ends, another writes its outcome. A run terminated or timed out in Temporal never reaches
 * its end here: its ledger row follows Temporal's close status through the ledger reconciler, and
 * the schedules API reads the outcome from there.
 */
public class ScheduledRunWorkerInterceptor extends WorkerInterceptorBase {

  /** The schedule id Temporal sets on every workflow a schedule starts. */
  public static final String SCHEDULED_BY_ID = "TemporalScheduledById";

  /** The scheduled (nominal) time Temporal sets on every workflow a schedule starts. */
  public static final String SCHEDULED_START_TIME = "TemporalScheduledStartTime";

  @Override
  public WorkflowInboundCallsInterceptor interceptWorkflow(WorkflowInboundCallsInterceptor next) {
    return new ScheduledRunInbound(next);
  }

  /** The schedule id and scheduled time of a run a schedule started; empty for any other run. */
  record Scheduled(String scheduleId, long scheduledAt) {}

  static Optional<Scheduled> scheduled(SearchAttributes attributes) {
    if (!attributes.containsIndexedFields(SCHEDULED_BY_ID)
        || !attributes.containsIndexedFields(SCHEDULED_START_TIME)) {
      return Optional.empty();
    }
    String scheduleId = text(attributes.getIndexedFieldsOrThrow(SCHEDULED_BY_ID));
    String startTime = text(attributes.getIndexedFieldsOrThrow(SCHEDULED_START_TIME));
    return Optional.of(
        new Scheduled(scheduleId, OffsetDateTime.parse(startTime).toInstant().toEpochMilli()));
  }

  // Search attribute payloads are plain JSON, never encrypted: the standard converter reads them.
  private static String text(Payload payload) {
    return DefaultDataConverter.STANDARD_INSTANCE.fromPayload(payload, String.class, String.class);
  }

  static final class ScheduledRunInbound extends WorkflowInboundCallsInterceptorBase {

    private static final Logger log = Workflow.getLogger(ScheduledRunInbound.class);

    // Run-log writes must outlast a database blip without failing the run, as ledger writes do.
    private static final LocalActivityOptions RUN_LOG_OPTIONS =
        JobLedgerWorkerInterceptor.LedgerWorkflowInbound.LEDGER_OPTIONS;

    ScheduledRunInbound(WorkflowInboundCallsInterceptor next) {
      super(next);
    }

    @Override
    public WorkflowOutput execute(WorkflowInput input) {
      WorkflowInfo info = Workflow.getInfo();
      Optional<Scheduled> scheduled =
          info.getSearchAttributes() == null
              ? Optional.empty()
              : scheduled(info.getSearchAttributes());
      // A continue-as-new run inherits the search attributes: it is the same scheduled run going
      // on,
      // already in the run log. Its end reaches the ledger row (by workflow id), which the
      // schedules API reads when the run log still says RUNNING.
      if (scheduled.isEmpty() || info.getContinuedExecutionRunId().isPresent()) {
        return super.execute(input);
      }
      ScheduleRunActivities runLog =
          Workflow.newLocalActivityStub(ScheduleRunActivities.class, RUN_LOG_OPTIONS);
      String workflowId = info.getWorkflowId();
      String runId = info.getRunId();
      bestEffort(
          () ->
              runLog.started(
                  new ScheduledRunStart(
                      scheduled.get().scheduleId(),
                      workflowId,
                      runId,
                      info.getWorkflowType(),
                      info.getTaskQueue(),
                      scheduled.get().scheduledAt(),
                      info.getRunStartedTimestampMillis(),
                      Workflow.currentTimeMillis())));
      WorkflowOutput output;
      try {
        output = super.execute(input);
      } catch (TemporalFailure failure) {
        ScheduledRunOutcome outcome =
            failure instanceof CanceledFailure || failure.getCause() instanceof CanceledFailure
                ? ScheduledRunOutcome.CANCELED
                : ScheduledRunOutcome.FAILED;
        String errorType = JobLedgerWorkerInterceptor.errorType(failure);
        Workflow.newDetachedCancellationScope(
                () -> bestEffort(() -> runLog.finished(workflowId, runId, outcome, errorType)))
            .run();
        throw failure;
      }
      bestEffort(() -> runLog.finished(workflowId, runId, ScheduledRunOutcome.COMPLETED, null));
      return output;
    }

    private static void bestEffort(Runnable runLogWrite) {
      try {
        runLogWrite.run();
      } catch (ActivityFailure e) {
        log.warn("run log write gave up; the scheduled run itself is unaffected", e);
      }
    }
  }
}
