package com.marketplace.jobs.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.Status;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The reconciler against a real PostgreSQL (migrated) and a Temporal that answers as the test says:
 * which rows it asks about, what each close status makes of the row, and that the interceptor's own
 * writes and other reconcilers are never overridden or repeated.
 */
class LedgerReconcilerTest {

  private static EmbeddedPostgres postgres;
  private static JdbcClient jdbc;

  /** Temporal's answer per workflow id; RUNNING for any other. */
  private final Map<String, WorkflowClose> answers = new ConcurrentHashMap<>();

  /** Workflow ids Temporal was asked about, in order. */
  private final List<String> asked = new CopyOnWriteArrayList<>();

  /** Runs while Temporal "answers", as a concurrent ledger write would. */
  private volatile Consumer<String> whileAsking = workflowId -> {};

  private final MeterRegistry meters = new SimpleMeterRegistry();
  private LedgerReconciler timed;

  @BeforeAll
  static void startPostgres() throws IOException {
    postgres = EmbeddedPostgres.start();
    Flyway.configure()
        .dataSource(postgres.getPostgresDatabase())
        .locations("classpath:db/migration")
        .load()
        .migrate();
    jdbc = JdbcClient.create(postgres.getPostgresDatabase());
  }

  @AfterAll
  static void stopPostgres() throws IOException {
    postgres.close();
  }

  @BeforeEach
  void clean() {
    jdbc.sql("DELETE FROM jobs").update();
  }

  @AfterEach
  void stopTimer() {
    if (timed != null) {
      timed.stop();
    }
  }

  private final WorkflowCloseLookup temporal =
      workflowId -> {
        asked.add(workflowId);
        whileAsking.accept(workflowId);
        return answers.getOrDefault(workflowId, WorkflowClose.of(WorkflowClose.Kind.RUNNING));
      };

  private LedgerReconciler reconciler(int batchSize, Duration interval, MeterRegistry registry) {
    return new LedgerReconciler(
        jdbc,
        temporal,
        new LedgerReconcileProperties(true, interval, Duration.ofSeconds(30), batchSize),
        registry);
  }

  private LedgerReconciler reconciler() {
    return reconciler(200, Duration.ofSeconds(30), meters);
  }

  /** A job whose workflow was started, {@code status}, last written {@code secondsAgo}. */
  private static String job(String status, int secondsAgo, boolean started) {
    UUID id = UUID.randomUUID();
    String workflowId = "company_ban-" + id;
    jdbc.sql(
            """
            INSERT INTO jobs (id, type, status, priority, workflow_id, workflow_type, task_queue,
                              payload, content_hash, run_id, workflow_started_at, updated_at,
                              progress_completed, progress_total, progress_step)
            VALUES (:id, 'company_ban', :status, 3, :workflowId, 'CompanyBanWorkflow',
                    'background-jobs', '{}'::jsonb, :hash, 'run-1',
                    CASE WHEN :started THEN now() - interval '1 hour' END,
                    now() - make_interval(secs => :ago), 7, 10, 'deactivate orders')
            """)
        .param("id", id)
        .param("status", status)
        .param("workflowId", workflowId)
        .param("hash", id.toString())
        .param("started", started)
        .param("ago", secondsAgo)
        .update();
    return workflowId;
  }

  private static String unfinished(int secondsAgo) {
    return job("PROCESSING", secondsAgo, true);
  }

  private static Map<String, Object> row(String workflowId) {
    return jdbc.sql("SELECT * FROM jobs WHERE workflow_id = :workflowId")
        .param("workflowId", workflowId)
        .query()
        .singleRow();
  }

  private double reconciledAs(MeterRegistry registry, String closeStatus) {
    return registry
        .get(LedgerReconciler.RECONCILED_METRIC)
        .tag("close_status", closeStatus)
        .counter()
        .count();
  }

  @Test
  void eachUnfinishedJobWhoseWorkflowClosedEndsAsTemporalClosedIt() {
    String completed = unfinished(60);
    answers.put(completed, WorkflowClose.of(WorkflowClose.Kind.COMPLETED));
    String failed = unfinished(60);
    answers.put(
        failed,
        new WorkflowClose(
            WorkflowClose.Kind.FAILED, "ROLLED_BACK", "Ban of company 7 rolled back at step 3"));
    String terminated = job("PENDING", 60, true);
    answers.put(
        terminated,
        new WorkflowClose(
            WorkflowClose.Kind.TERMINATED, null, "stuck ban, asked by ops.lead@rentals.example"));
    String timedOut = unfinished(60);
    answers.put(timedOut, WorkflowClose.of(WorkflowClose.Kind.TIMED_OUT));
    String canceled = unfinished(60);
    answers.put(canceled, WorkflowClose.of(WorkflowClose.Kind.CANCELED));
    String gone = unfinished(60);
    answers.put(gone, WorkflowClose.of(WorkflowClose.Kind.NOT_FOUND));
    String running = unfinished(60);

    assertThat(reconciler().reconcileOnce()).isEqualTo(6);

    Map<String, Object> done = row(completed);
    assertThat(done.get("status")).isEqualTo("COMPLETED");
    assertThat(done.get("finished_at")).isNotNull();
    assertThat(done.get("progress_completed")).isEqualTo(10L);
    assertThat(done.get("progress_step")).isEqualTo("done");
    assertThat(done.get("last_error_type")).isNull();
    assertFailed(failed, "ROLLED_BACK", "Ban of company 7 rolled back at step 3");
    assertFailed(terminated, "TERMINATED", "Terminated in Temporal: stuck ban, asked by <email>");
    assertFailed(
        timedOut, "TIMED_OUT", "Timed out in Temporal (the workflow's execution or run timeout)");
    assertFailed(canceled, "CANCELED", "Cancelled in Temporal");
    assertFailed(
        gone,
        "WORKFLOW_NOT_FOUND",
        "Temporal has no workflow "
            + gone
            + " (deleted, or kept past the namespace's retention); how the job ended is unknown");
    assertThat(row(running).get("status")).isEqualTo("PROCESSING");
    assertThat(row(running).get("finished_at")).isNull();
    for (String status :
        List.of("COMPLETED", "FAILED", "TERMINATED", "TIMED_OUT", "CANCELED", "NOT_FOUND")) {
      assertThat(reconciledAs(meters, status)).as(status).isEqualTo(1);
    }
  }

  @Test
  void aJobWhoseCancellationWasRequestedEndsCancelledWhenTemporalClosedItCancelledOrTerminated() {
    String canceled = unfinished(60);
    answers.put(canceled, WorkflowClose.of(WorkflowClose.Kind.CANCELED));
    String terminatedWhileWaiting = job("PENDING", 60, true);
    answers.put(
        terminatedWhileWaiting,
        new WorkflowClose(
            WorkflowClose.Kind.TERMINATED, null, "Cancelled through the api before its due time"));
    String rolledBack = unfinished(60);
    answers.put(
        rolledBack,
        new WorkflowClose(
            WorkflowClose.Kind.FAILED, "ROLLED_BACK", "Ban of company 7 was cancelled"));
    String timedOut = unfinished(60);
    answers.put(timedOut, WorkflowClose.of(WorkflowClose.Kind.TIMED_OUT));
    jdbc.sql(
            "UPDATE jobs SET cancel_requested_at = now() - interval '1 minute',"
                + " started_at = NULL")
        .update();

    assertThat(reconciler().reconcileOnce()).isEqualTo(4);

    for (String cancelled : List.of(canceled, terminatedWhileWaiting, rolledBack)) {
      Map<String, Object> job = row(cancelled);
      assertThat(job.get("status")).as(cancelled).isEqualTo("CANCELLED");
      assertThat(job.get("resolution")).isNull();
      assertThat(job.get("finished_at")).isNotNull();
      assertThat(job.get("started_at")).as("a cancelled job gets no start time").isNull();
    }
    assertFailed(
        timedOut, "TIMED_OUT", "Timed out in Temporal (the workflow's execution or run timeout)");
  }

  @Test
  void aDelayedJobWaitingForItsDueTimeIsNotAskedAbout() {
    String waiting = job("PENDING", 60, true);
    String due = job("PENDING", 60, true);
    jdbc.sql("UPDATE jobs SET not_before = now() + interval '1 hour' WHERE workflow_id = :id")
        .param("id", waiting)
        .update();
    jdbc.sql("UPDATE jobs SET not_before = now() - interval '1 minute' WHERE workflow_id = :id")
        .param("id", due)
        .update();

    reconciler().reconcileOnce();

    assertThat(asked).containsExactly(due);
  }

  private static void assertFailed(String workflowId, String type, String message) {
    Map<String, Object> job = row(workflowId);
    assertThat(job.get("status")).as(workflowId).isEqualTo("FAILED");
    assertThat(job.get("resolution")).isEqualTo("UNRESOLVED");
    assertThat(job.get("finished_at")).isNotNull();
    assertThat(job.get("last_error_type")).isEqualTo(type);
    assertThat(job.get("last_error_message")).isEqualTo(message);
  }

  @Test
  void rowsWrittenWithinTheQuietTimeNotStartedOrFinishedAreNotAskedAbout() {
    String recent = unfinished(5);
    String notStarted = job("PENDING", 60, false);
    String finished = job("COMPLETED", 60, true);
    String failed = job("FAILED", 60, true);
    for (String workflowId : List.of(recent, notStarted, finished, failed)) {
      answers.put(workflowId, WorkflowClose.of(WorkflowClose.Kind.TERMINATED));
    }

    assertThat(reconciler().reconcileOnce()).isZero();

    assertThat(asked).isEmpty();
    assertThat(row(recent).get("status")).isEqualTo("PROCESSING");
    assertThat(row(notStarted).get("status")).isEqualTo("PENDING");
    assertThat(row(finished).get("status")).isEqualTo("COMPLETED");
    assertThat(row(failed).get("last_error_type")).isNull();
  }

  @Test
  void aLedgerWriteWhileTemporalIsAskedWins() {
    String completedMeanwhile = unfinished(60);
    String retriedMeanwhile = unfinished(60);
    answers.put(completedMeanwhile, WorkflowClose.of(WorkflowClose.Kind.TERMINATED));
    answers.put(retriedMeanwhile, WorkflowClose.of(WorkflowClose.Kind.TERMINATED));
    whileAsking =
        workflowId -> {
          if (workflowId.equals(completedMeanwhile)) {
            // The interceptor's markCompleted, just before the workflow closed.
            jdbc.sql(
                    "UPDATE jobs SET status = 'COMPLETED', finished_at = now(), updated_at = now()"
                        + " WHERE workflow_id = :id")
                .param("id", workflowId)
                .update();
          } else {
            // An operator's reset: the new run's first attempt.
            jdbc.sql(
                    "UPDATE jobs SET attempts = attempts + 1, run_id = 'run-2', updated_at = now()"
                        + " WHERE workflow_id = :id")
                .param("id", workflowId)
                .update();
          }
        };

    assertThat(reconciler().reconcileOnce()).isZero();

    assertThat(row(completedMeanwhile).get("status")).isEqualTo("COMPLETED");
    assertThat(row(completedMeanwhile).get("last_error_type")).isNull();
    assertThat(row(retriedMeanwhile).get("status")).isEqualTo("PROCESSING");
    assertThat(row(retriedMeanwhile).get("last_error_type")).isNull();
    assertThat(reconciledAs(meters, "TERMINATED")).isZero();
  }

  @Test
  void aPassAsksAboutABatchOldestFirstAndTheNextPassAboutTheRest() {
    String newest = unfinished(100);
    String oldest = unfinished(300);
    String middle = unfinished(200);
    LedgerReconciler reconciler = reconciler(2, Duration.ofSeconds(30), meters);

    reconciler.reconcileOnce();
    assertThat(asked).containsExactly(oldest, middle);

    // Rows asked about within the interval wait for the next round.
    reconciler.reconcileOnce();
    reconciler.reconcileOnce();
    assertThat(asked).containsExactly(oldest, middle, newest);
  }

  @Test
  void twoReconcilersAtOnceAskAboutEachRowOnceAndSetItOnce() throws Exception {
    List<String> workflowIds = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String workflowId = unfinished(60 + i);
      answers.put(workflowId, new WorkflowClose(WorkflowClose.Kind.TERMINATED, null, "stuck"));
      workflowIds.add(workflowId);
    }
    whileAsking = workflowId -> sleep(Duration.ofMillis(10));
    MeterRegistry otherWorker = new SimpleMeterRegistry();
    LedgerReconciler first = reconciler(10, Duration.ofSeconds(30), meters);
    LedgerReconciler second = reconciler(10, Duration.ofSeconds(30), otherWorker);

    ExecutorService workers = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> passes = new ArrayList<>();
      for (LedgerReconciler reconciler : List.of(first, second)) {
        passes.add(
            workers.submit(
                () -> {
                  while (reconciler.reconcileOnce() > 0) {
                    // until this reconciler finds nothing left
                  }
                }));
      }
      for (Future<?> pass : passes) {
        pass.get();
      }
    } finally {
      workers.shutdownNow();
    }

    assertThat(asked).hasSize(40).doesNotHaveDuplicates();
    assertThat(reconciledAs(meters, "TERMINATED") + reconciledAs(otherWorker, "TERMINATED"))
        .isEqualTo(40);
    assertThat(reconciledAs(meters, "TERMINATED")).isPositive();
    assertThat(reconciledAs(otherWorker, "TERMINATED")).isPositive();
    for (String workflowId : workflowIds) {
      assertThat(row(workflowId).get("last_error_type")).isEqualTo("TERMINATED");
    }
  }

  @Test
  void noAnswerFromTemporalLeavesTheRowsAsTheyAreUntilALaterRound() {
    String job = unfinished(60);
    answers.put(job, WorkflowClose.of(WorkflowClose.Kind.COMPLETED));
    whileAsking =
        workflowId -> {
          throw Status.UNAVAILABLE.withDescription("connection refused").asRuntimeException();
        };
    LedgerReconciler reconciler = reconciler(200, Duration.ofMillis(500), meters);

    assertThat(reconciler.reconcileOnce()).isZero();
    assertThat(row(job).get("status")).isEqualTo("PROCESSING");

    whileAsking = workflowId -> {};
    sleep(Duration.ofMillis(600));
    assertThat(reconciler.reconcileOnce()).isEqualTo(1);
    assertThat(row(job).get("status")).isEqualTo("COMPLETED");
  }

  @Test
  void startedItReconcilesEveryIntervalWithoutBeingAsked() {
    String job = unfinished(60);
    answers.put(job, new WorkflowClose(WorkflowClose.Kind.TERMINATED, null, "by hand"));
    timed = reconciler(200, Duration.ofMillis(200), meters);

    timed.start();

    assertThat(timed.isRunning()).isTrue();
    await().atMost(Duration.ofSeconds(10)).until(() -> "FAILED".equals(row(job).get("status")));
    assertThat(row(job).get("last_error_message")).isEqualTo("Terminated in Temporal: by hand");
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
