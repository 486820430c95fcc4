package com.marketplace.jobs.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import com.marketplace.jobs.common.JobType;
import com.marketplace.jobs.ledger.JobLedgerActivitiesImpl;
import com.marketplace.jobs.ledger.JobMetrics;
import com.marketplace.jobs.testsupport.MigratedPostgres;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The run log's and the ledger's rows for scheduled runs, against the real tables. */
class ScheduleRunActivitiesImplTest {

  private static final Instant SCHEDULED = Instant.parse("2026-12-01T03:17:00Z");
  private static final String WORKFLOW_ID = "schedule-runs-retention-2026-12-01T03:17:00Z";

  private static MigratedPostgres database;
  private static JdbcClient jdbc;

  private ScheduleRunActivitiesImpl runLog;
  private MeterRegistry meters;
  private JobMetrics metrics;

  @BeforeAll
  static void startDatabase() {
    database = MigratedPostgres.start();
    jdbc = database.jdbc();
  }

  @AfterAll
  static void stopDatabase() throws Exception {
    database.close();
  }

  @BeforeEach
  void setUp() {
    jdbc.sql("TRUNCATE jobs CASCADE").update();
    jdbc.sql("TRUNCATE schedule_runs").update();
    meters = new SimpleMeterRegistry();
    metrics = new JobMetrics(meters);
    runLog = new ScheduleRunActivitiesImpl(jdbc, metrics);
  }

  private static ScheduledRunStart start(String workflowId, String runId, String workflowType) {
    return new ScheduledRunStart(
        "schedule-runs-retention",
        workflowId,
        runId,
        workflowType,
        "background-jobs",
        SCHEDULED.toEpochMilli(),
        SCHEDULED.plusMillis(150).toEpochMilli(),
        SCHEDULED.plusMillis(420).toEpochMilli());
  }

  private static Map<String, Object> runRow(String workflowId) {
    return jdbc.sql("SELECT * FROM schedule_runs WHERE workflow_id = :id")
        .param("id", workflowId)
        .query()
        .singleRow();
  }

  @Test
  void aStartedRunIsLoggedOnceAndIsAProcessingJobTheRelayNeverStarts() {
    runLog.started(start(WORKFLOW_ID, "run-1", "ScheduleRunsRetentionWorkflow"));
    runLog.started(start(WORKFLOW_ID, "run-1", "ScheduleRunsRetentionWorkflow"));

    Map<String, Object> run = runRow(WORKFLOW_ID);
    assertThat(run)
        .containsEntry("schedule_id", "schedule-runs-retention")
        .containsEntry("outcome", "RUNNING")
        .containsEntry("scheduled_at", Timestamp.from(SCHEDULED))
        .containsEntry("workflow_started_at", Timestamp.from(SCHEDULED.plusMillis(150)))
        .containsEntry("started_at", Timestamp.from(SCHEDULED.plusMillis(420)));
    List<Map<String, Object>> jobs = jdbc.sql("SELECT * FROM jobs").query().listOfRows();
    assertThat(jobs).hasSize(1);
    assertThat(jobs.get(0))
        .containsEntry("id", ScheduleRunActivitiesImpl.jobIdOf(WORKFLOW_ID))
        .containsEntry("type", JobType.SCHEDULE_RUNS_RETENTION.id())
        .containsEntry("status", "PROCESSING")
        .containsEntry("workflow_id", WORKFLOW_ID)
        .containsEntry("run_id", "run-1");
    assertThat(((Number) jobs.get(0).get("priority")).intValue())
        .isEqualTo(JobType.SCHEDULE_RUNS_RETENTION.priority().key());
    assertThat(jobs.get(0).get("workflow_started_at")).as("never the relay's to start").isNotNull();
  }

  @Test
  void aStartedRunRecordsItsLatenessOnceAndCountsItsJobAcceptedAndStartedOnce() {
    runLog.started(start(WORKFLOW_ID, "run-1", "ScheduleRunsRetentionWorkflow"));
    runLog.started(start(WORKFLOW_ID, "run-1", "ScheduleRunsRetentionWorkflow"));

    Timer lateness =
        meters.get("jobs.schedule.lateness").tag("schedule", "schedule-runs-retention").timer();
    assertThat(lateness.count()).isEqualTo(1);
    assertThat(lateness.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(420.0);
    for (String counter : new String[] {"jobs.accepted", "jobs.started"}) {
      assertThat(
              meters
                  .get(counter)
                  .tag("type", JobType.SCHEDULE_RUNS_RETENTION.id())
                  .tag("priority", "internal")
                  .counter()
                  .count())
          .as(counter)
          .isEqualTo(1);
    }
    assertThat(
            meters
                .get("jobs.accept.to.start")
                .tag("type", JobType.SCHEDULE_RUNS_RETENTION.id())
                .timer()
                .totalTime(TimeUnit.MILLISECONDS))
        .as("from Temporal's start of the run to a worker running it")
        .isEqualTo(270.0);
  }

  @Test
  void theLedgerInterceptorFinishesTheRunsJobAndTheRunKeepsItsFirstOutcome() {
    runLog.started(start(WORKFLOW_ID, "run-1", "ScheduleRunsRetentionWorkflow"));

    new JobLedgerActivitiesImpl(jdbc, metrics).markCompleted(WORKFLOW_ID);
    runLog.finished(WORKFLOW_ID, "run-1", ScheduledRunOutcome.COMPLETED, null);
    runLog.finished(WORKFLOW_ID, "run-1", ScheduledRunOutcome.FAILED, "TERMINATED");

    assertThat(runRow(WORKFLOW_ID))
        .containsEntry("outcome", "COMPLETED")
        .containsEntry("error_type", null);
    assertThat(runRow(WORKFLOW_ID).get("finished_at")).isNotNull();
    assertThat(
            jdbc.sql("SELECT status FROM jobs WHERE workflow_id = :id")
                .param("id", WORKFLOW_ID)
                .query(String.class)
                .single())
        .isEqualTo("COMPLETED");
  }

  @Test
  void aFailedRunRecordsItsErrorType() {
    runLog.started(start(WORKFLOW_ID, "run-1", "ScheduleRunsRetentionWorkflow"));

    runLog.finished(WORKFLOW_ID, "run-1", ScheduledRunOutcome.FAILED, "PROVIDER_UNAVAILABLE");

    assertThat(runRow(WORKFLOW_ID))
        .containsEntry("outcome", "FAILED")
        .containsEntry("error_type", "PROVIDER_UNAVAILABLE");
  }

  @Test
  void aRunOfAWorkflowTypeWithoutAJobTypeIsLoggedWithoutALedgerRow() {
    runLog.started(start("by-hand-2026-12-01T03:17:00Z", "run-1", "MadeByHandWorkflow"));

    assertThat(runRow("by-hand-2026-12-01T03:17:00Z")).containsEntry("outcome", "RUNNING");
    assertThat(jdbc.sql("SELECT count(*) FROM jobs").query(Long.class).single()).isZero();
  }

  @Test
  void retentionDeletesOnlyRowsOlderThanItsPeriodInBatches() {
    Instant now = Instant.now();
    for (int i = 0; i < 5; i++) {
      insertRun("old-" + i, now.minus(Duration.ofDays(401 + i)));
    }
    insertRun("recent", now.minus(Duration.ofDays(399)));
    var retention =
        new ScheduleRunsRetentionActivitiesImpl(jdbc, new RunLogProperties(Duration.ofDays(400)));

    assertThat(retention.deleteExpiredRunBatch(3)).isEqualTo(3);
    assertThat(retention.deleteExpiredRunBatch(3)).isEqualTo(2);
    assertThat(retention.deleteExpiredRunBatch(3)).isZero();
    assertThat(jdbc.sql("SELECT workflow_id FROM schedule_runs").query(String.class).list())
        .containsExactly("recent");
  }

  private static void insertRun(String workflowId, Instant scheduledAt) {
    jdbc.sql(
            """
            INSERT INTO schedule_runs (workflow_id, run_id, schedule_id, workflow_type,
                                       scheduled_at, workflow_started_at, started_at)
            VALUES (:id, 'run', 'old', 'ScheduleRunsRetentionWorkflow', :at, :at, :at)
            """)
        .param("id", workflowId)
        .param("at", Timestamp.from(scheduledAt))
        .update();
  }
}
