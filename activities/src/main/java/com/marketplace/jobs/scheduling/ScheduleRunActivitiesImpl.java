package com.marketplace.jobs.scheduling;

import com.marketplace.jobs.common.JobType;
import com.marketplace.jobs.ledger.JobMetrics;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The run log's and the ledger's rows for scheduled runs. Every statement is keyed by the run, so a
 * retried or replayed call writes nothing twice, and counts nothing twice in {@link JobMetrics}: a
 * new run-log row records the run's lateness, a new ledger row counts the job accepted and started.
 */
@Component
public class ScheduleRunActivitiesImpl implements ScheduleRunActivities {

  private static final Logger log = LoggerFactory.getLogger(ScheduleRunActivitiesImpl.class);

  private final JdbcClient jdbc;
  private final JobMetrics metrics;

  public ScheduleRunActivitiesImpl(JdbcClient jdbc, JobMetrics metrics) {
    this.jdbc = jdbc;
    this.metrics = metrics;
  }

  /** The ledger's job id of a scheduled run: derived from its workflow id, so stable on retry. */
  public static UUID jobIdOf(String workflowId) {
    return UUID.nameUUIDFromBytes(workflowId.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void started(ScheduledRunStart run) {
    int logged =
        jdbc.sql(
                """
            INSERT INTO schedule_runs (workflow_id, run_id, schedule_id, workflow_type,
                                       scheduled_at, workflow_started_at, started_at)
            VALUES (:workflowId, :runId, :scheduleId, :workflowType,
                    :scheduledAt, :workflowStartedAt, :startedAt)
            ON CONFLICT (workflow_id, run_id) DO NOTHING
            """)
            .param("workflowId", run.workflowId())
            .param("runId", run.runId())
            .param("scheduleId", run.scheduleId())
            .param("workflowType", run.workflowType())
            .param("scheduledAt", timestamp(run.scheduledAt()))
            .param("workflowStartedAt", timestamp(run.workflowStartedAt()))
            .param("startedAt", timestamp(run.startedAt()))
            .update();
    if (logged == 1) {
      metrics.scheduleLateness(
          run.scheduleId(), Duration.ofMillis(run.startedAt() - run.scheduledAt()));
    }
    Optional<JobType> type = JobType.byWorkflowType(run.workflowType());
    if (type.isEmpty()) {
      // The worker refuses schedules of such types at start; a schedule made by hand may have one.
      log.warn(
          "scheduled run {} of schedule {}: workflow type {} has no job type, no ledger row",
          run.workflowId(),
          run.scheduleId(),
          run.workflowType());
      return;
    }
    // workflow_started_at is set, so the relay never starts it; status PROCESSING until the
    // ledger interceptor (or the reconciler) records how the run ended.
    int inserted =
        jdbc.sql(
                """
            INSERT INTO jobs (id, type, status, priority, workflow_id, workflow_type, task_queue,
                              run_id, payload, content_hash, created_at, workflow_started_at,
                              started_at, updated_at)
            VALUES (:id, :type, 'PROCESSING', :priority, :workflowId, :workflowType, :taskQueue,
                    :runId, '{}'::jsonb, :contentHash, :workflowStartedAt, :workflowStartedAt,
                    :startedAt, now())
            ON CONFLICT DO NOTHING
            """)
            .param("id", jobIdOf(run.workflowId()))
            .param("type", type.get().id())
            .param("priority", type.get().priority().key())
            .param("workflowId", run.workflowId())
            .param("workflowType", run.workflowType())
            .param("taskQueue", run.taskQueue())
            .param("runId", run.runId())
            .param("contentHash", "schedule-run:" + run.workflowId())
            .param("workflowStartedAt", timestamp(run.workflowStartedAt()))
            .param("startedAt", timestamp(run.startedAt()))
            .update();
    if (inserted == 1) {
      metrics.accepted(type.get());
      metrics.started(type.get().id(), offset(run.workflowStartedAt()), offset(run.startedAt()));
    }
  }

  @Override
  public void finished(
      String workflowId, String runId, ScheduledRunOutcome outcome, String errorType) {
    jdbc.sql(
            """
            UPDATE schedule_runs SET outcome = :outcome, error_type = :errorType,
                   finished_at = now()
             WHERE workflow_id = :workflowId AND run_id = :runId AND outcome = 'RUNNING'
            """)
        .param("outcome", outcome.name())
        .param("errorType", errorType)
        .param("workflowId", workflowId)
        .param("runId", runId)
        .update();
  }

  private static OffsetDateTime offset(long epochMillis) {
    return OffsetDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC);
  }

  private static Timestamp timestamp(long epochMillis) {
    return Timestamp.from(Instant.ofEpochMilli(epochMillis));
  }
}
