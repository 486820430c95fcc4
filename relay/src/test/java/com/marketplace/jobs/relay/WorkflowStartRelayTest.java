package com.marketplace.jobs.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.grpc.Status;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowServiceException;
import io.temporal.client.WorkflowStub;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The relay against a real PostgreSQL (migrated) and a Temporal client that records the starts it
 * is asked for, and can fail them as an unreachable server does: the order in which pending jobs
 * are started, tiers first, before and after an outage.
 */
class WorkflowStartRelayTest {

  private static EmbeddedPostgres postgres;
  private static JdbcClient jdbc;

  /** Workflow ids in the order Temporal accepted their starts. */
  private final List<String> started = new CopyOnWriteArrayList<>();

  /** Start calls to fail with UNAVAILABLE before the "server" answers again. */
  private final AtomicInteger unreachableCalls = new AtomicInteger();

  private final List<String> attempted = new CopyOnWriteArrayList<>();

  /** Per workflow id: the options of its (last) start. */
  private final Map<String, WorkflowOptions> startOptions = new ConcurrentHashMap<>();

  /** Per workflow id: the status the "server" refuses its next start with (null: accepted). */
  private final Map<String, Supplier<Status>> refusals = new ConcurrentHashMap<>();

  private WorkflowStartRelay relay;

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
  void stopRelay() {
    if (relay != null) {
      relay.stop();
    }
  }

  private WorkflowClient recordingClient() {
    WorkflowClient client = mock(WorkflowClient.class);
    when(client.newUntypedWorkflowStub(anyString(), any(WorkflowOptions.class)))
        .thenAnswer(
            invocation -> {
              WorkflowOptions options = invocation.getArgument(1);
              WorkflowStub stub = mock(WorkflowStub.class);
              when(stub.start(any()))
                  .thenAnswer(
                      start -> {
                        attempted.add(options.getWorkflowId());
                        startOptions.put(options.getWorkflowId(), options);
                        Status refusal =
                            refusals.getOrDefault(options.getWorkflowId(), () -> null).get();
                        if (refusal != null) {
                          // As the SDK reports an answered but refused start.
                          throw new WorkflowServiceException(
                              WorkflowExecution.newBuilder()
                                  .setWorkflowId(options.getWorkflowId())
                                  .build(),
                              "SomeWorkflow",
                              refusal.asRuntimeException());
                        }
                        if (unreachableCalls.getAndDecrement() > 0) {
                          throw Status.UNAVAILABLE
                              .withDescription("connection refused")
                              .asRuntimeException();
                        }
                        started.add(options.getWorkflowId());
                        return WorkflowExecution.newBuilder()
                            .setWorkflowId(options.getWorkflowId())
                            .setRunId(UUID.randomUUID().toString())
                            .build();
                      });
              return stub;
            });
    return client;
  }

  /** One starter at a time, so the order of starts is the order of claims. */
  private void startRelay() {
    relay = newRelay(Duration.ZERO, recordingClient());
    relay.start();
  }

  private static WorkflowStartRelay newRelay(Duration startDelay, WorkflowClient client) {
    return newRelay(startDelay, client, 3);
  }

  private static WorkflowStartRelay newRelay(
      Duration startDelay, WorkflowClient client, int maxRefusedStarts) {
    return new WorkflowStartRelay(
        jdbc,
        postgres.getPostgresDatabase(),
        client,
        new RelayProperties(
            true,
            false,
            startDelay,
            1,
            64,
            Duration.ofMillis(100),
            Duration.ofSeconds(30),
            Duration.ofSeconds(1),
            maxRefusedStarts));
  }

  /** A client whose server never answers. */
  private static WorkflowClient unreachableClient() {
    WorkflowClient client = mock(WorkflowClient.class);
    when(client.newUntypedWorkflowStub(anyString(), any(WorkflowOptions.class)))
        .thenAnswer(
            invocation -> {
              WorkflowStub stub = mock(WorkflowStub.class);
              when(stub.start(any())).thenThrow(Status.UNAVAILABLE.asRuntimeException());
              return stub;
            });
    return client;
  }

  /** A PENDING job of a tier, accepted {@code secondsAgo}. */
  private String pending(String type, int priority, int secondsAgo) {
    UUID id = UUID.randomUUID();
    String workflowId = type + "-" + id;
    jdbc.sql(
            """
            INSERT INTO jobs (id, type, priority, workflow_id, workflow_type, task_queue, payload,
                              content_hash, created_at)
            VALUES (:id, :type, :priority, :workflowId, 'SomeWorkflow', 'background-jobs',
                    '{}'::jsonb, :hash, now() - make_interval(secs => :ago))
            """)
        .param("id", id)
        .param("type", type)
        .param("priority", priority)
        .param("workflowId", workflowId)
        .param("hash", id.toString())
        .param("ago", secondsAgo)
        .update();
    return workflowId;
  }

  /** Internal jobs oldest, then notifications, then one payment accepted last. */
  private List<String> backlog() {
    List<String> internal = new java.util.ArrayList<>();
    List<String> notifications = new java.util.ArrayList<>();
    for (int i = 0; i < 5; i++) {
      internal.add(pending("marketplace_toggle", 3, 60 - i));
    }
    for (int i = 0; i < 5; i++) {
      notifications.add(pending("notification", 2, 30 - i));
    }
    String payment = pending("payment_event", 1, 1);
    List<String> expected = new java.util.ArrayList<>();
    expected.add(payment);
    expected.addAll(notifications);
    expected.addAll(internal);
    return expected;
  }

  private void awaitAllStarted(int count) {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                jdbc.sql("SELECT count(*) FROM jobs WHERE workflow_started_at IS NOT NULL")
                        .query(Long.class)
                        .single()
                    == count);
  }

  @Test
  void pendingJobsAreStartedPaymentsFirstThenNotificationsThenInternalWorkEachOldestFirst() {
    List<String> expected = backlog();

    startRelay();
    awaitAllStarted(expected.size());

    assertThat(started).containsExactlyElementsOf(expected);
  }

  @Test
  void afterAnOutageTheBacklogIsStartedInTierOrderAndEachJobOnce() {
    List<String> expected = backlog();
    unreachableCalls.set(4);

    startRelay();
    awaitAllStarted(expected.size());

    // The relay paused on each failure and claimed again from the top: the payment every time.
    assertThat(attempted.subList(0, 5)).containsOnly(expected.get(0));
    assertThat(started).containsExactlyElementsOf(expected);
    assertThat(
            jdbc.sql("SELECT count(*) FROM jobs WHERE run_id IS NULL").query(Long.class).single())
        .isZero();
  }

  @Test
  void theApisStandbyRelayLeavesJobsToAConnectedWorkerRelayAndTakesThemWhenNoneIs()
      throws InterruptedException {
    // A worker's relay that cannot reach Temporal: connected, but starting nothing.
    WorkflowStartRelay primary = newRelay(Duration.ZERO, unreachableClient());
    primary.start();
    relay = newRelay(Duration.ofSeconds(2), recordingClient());
    String job = pending("notification", 2, 60);
    try {
      await().atMost(Duration.ofSeconds(10)).until(relay::primaryRelayConnected);
      relay.start();
      Thread.sleep(1500);
      assertThat(started).isEmpty();
    } finally {
      primary.stop();
    }

    await().atMost(Duration.ofSeconds(10)).until(() -> !relay.primaryRelayConnected());
    awaitAllStarted(1);
    assertThat(started).containsExactly(job);
  }

  @Test
  void unreachableIsUnavailableOrADeadlineAnywhereInTheCauses() {
    assertThat(
            WorkflowStartRelay.isUnreachable(
                new IllegalStateException(Status.UNAVAILABLE.asRuntimeException())))
        .isTrue();
    assertThat(WorkflowStartRelay.isUnreachable(Status.DEADLINE_EXCEEDED.asRuntimeException()))
        .isTrue();
    assertThat(WorkflowStartRelay.isUnreachable(Status.INVALID_ARGUMENT.asRuntimeException()))
        .isFalse();
    assertThat(WorkflowStartRelay.isUnreachable(new IllegalStateException("no"))).isFalse();
  }

  private static final Status BLOB_TOO_LARGE =
      Status.INVALID_ARGUMENT.withDescription("Blob data size exceeds limit.");

  /** The "server" refuses the next {@code times} starts of this workflow with {@code status}. */
  private void refuse(String workflowId, Status status, int times) {
    AtomicInteger left = new AtomicInteger(times);
    refusals.put(workflowId, () -> left.getAndDecrement() > 0 ? status : null);
  }

  private long startsAttempted(String workflowId) {
    return attempted.stream().filter(workflowId::equals).count();
  }

  private static Map<String, Object> row(String workflowId) {
    return jdbc.sql("SELECT * FROM jobs WHERE workflow_id = :workflowId")
        .param("workflowId", workflowId)
        .query()
        .singleRow();
  }

  @Test
  void aStartRefusedForGoodIsTriedMaxRefusedStartsTimesThenTheJobFailsAndIsNeverClaimedAgain()
      throws InterruptedException {
    String refused = pending("notification", 2, 10);
    String other = pending("notification", 2, 5);
    refuse(refused, BLOB_TOO_LARGE, Integer.MAX_VALUE);

    startRelay();
    await().atMost(Duration.ofSeconds(20)).until(() -> "FAILED".equals(row(refused).get("status")));
    awaitAllStarted(1);
    // Longer than the longest backoff (1 s) and many polls: no claim of the failed job.
    Thread.sleep(2000);

    assertThat(startsAttempted(refused)).isEqualTo(3);
    assertThat(started).containsExactly(other);
    Map<String, Object> job = row(refused);
    assertThat(job.get("resolution")).isEqualTo("UNRESOLVED");
    assertThat(job.get("finished_at")).isNotNull();
    assertThat(job.get("workflow_started_at")).isNull();
    assertThat(job.get("last_error_type")).isEqualTo("START_REFUSED");
    assertThat(job.get("last_error_message"))
        .isEqualTo(
            "Temporal refused to start the workflow: INVALID_ARGUMENT"
                + " (Blob data size exceeds limit.)");
    assertThat(relay.backlog()).as("owed no start").isZero();
  }

  @Test
  void aStartRefusedFewerTimesThanTheBoundStartsOnTheNextTryAndTheJobGoesOn() {
    String job = pending("notification", 2, 10);
    refuse(job, Status.INVALID_ARGUMENT.withDescription("JobType is not defined"), 2);

    startRelay();
    awaitAllStarted(1);

    assertThat(startsAttempted(job)).isEqualTo(3);
    assertThat(started).containsExactly(job);
    Map<String, Object> row = row(job);
    assertThat(row.get("status")).isEqualTo("PENDING");
    assertThat(row.get("run_id")).isNotNull();
    assertThat(row.get("finished_at")).isNull();
    // As with a retried activity attempt, the job keeps its last error.
    assertThat(row.get("last_error_type")).isEqualTo("START_REFUSED");
  }

  /** Refusals of this process (namespace, role, credentials) or transient ones fail no job. */
  @ParameterizedTest
  @EnumSource(
      value = Status.Code.class,
      names = {"NOT_FOUND", "PERMISSION_DENIED", "UNAUTHENTICATED", "RESOURCE_EXHAUSTED"})
  void otherRefusalsBackOffWithoutBoundAndTheJobStartsOnceTheServerAccepts(Status.Code code) {
    String job = pending("notification", 2, 10);
    refuse(job, Status.fromCode(code), 3);
    relay = newRelay(Duration.ZERO, recordingClient(), 2);
    relay.start();

    awaitAllStarted(1);

    assertThat(startsAttempted(job)).isEqualTo(4);
    Map<String, Object> row = row(job);
    assertThat(row.get("status")).isEqualTo("PENDING");
    assertThat(row.get("last_error_type")).isNull();
    assertThat(row.get("relay_refused_starts")).isEqualTo(0);
  }

  /** A PENDING job accepted now, due {@code dueInSeconds} from now. */
  private String delayed(int dueInSeconds) {
    String workflowId = pending("notification", 2, 0);
    jdbc.sql(
            "UPDATE jobs SET not_before = now() + make_interval(secs => :due)"
                + " WHERE workflow_id = :workflowId")
        .param("due", dueInSeconds)
        .param("workflowId", workflowId)
        .update();
    return workflowId;
  }

  @Test
  void aDelayedJobIsHandedToTemporalAtOnceWithAStartDelayUntilItsDueTimeAndNoEagerStart() {
    String delayed = delayed(600);
    String now = pending("notification", 2, 0);

    relay = newRelay(Duration.ZERO, recordingClient());
    relay.start();
    awaitAllStarted(2);

    WorkflowOptions options = startOptions.get(delayed);
    assertThat(options.getStartDelay()).isBetween(Duration.ofSeconds(590), Duration.ofSeconds(600));
    assertThat(options.isDisableEagerExecution()).isTrue();
    assertThat(startOptions.get(now).getStartDelay()).isNull();
    Map<String, Object> row = row(delayed);
    assertThat(row.get("status")).isEqualTo("PENDING");
    assertThat(row.get("run_id")).isNotNull();
  }

  @Test
  void aJobCancelledWhileARelayThatClaimedItWaitsForItsRowLockIsNeverStarted() throws Exception {
    String workflowId = pending("notification", 2, 10);
    PendingStartClaims claims =
        new PendingStartClaims(
            jdbc,
            postgres.getPostgresDatabase(),
            new RelayProperties(
                true,
                false,
                Duration.ZERO,
                1,
                64,
                Duration.ofMillis(100),
                Duration.ofSeconds(30),
                Duration.ofSeconds(1),
                3));
    PendingStart claimed = claims.claimDue(10).get(0);
    AtomicInteger startCalls = new AtomicInteger();
    boolean[] startedByRelay = new boolean[1];

    // The cancellation (as POST /api/jobs/{id}/cancel does it) holds the row lock...
    try (Connection cancel = postgres.getPostgresDatabase().getConnection()) {
      cancel.setAutoCommit(false);
      try (PreparedStatement lock =
          cancel.prepareStatement("SELECT status FROM jobs WHERE workflow_id = ? FOR UPDATE")) {
        lock.setString(1, workflowId);
        lock.executeQuery().close();
      }
      // ...while the relay that claimed the job goes to start it, and waits for the lock.
      Thread relayStart =
          new Thread(
              () ->
                  startedByRelay[0] =
                      claims.startIfStillOwed(
                          claimed,
                          () -> {
                            startCalls.incrementAndGet();
                            return "run-1";
                          }));
      relayStart.start();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  jdbc.sql(
                              "SELECT count(*) FROM pg_stat_activity"
                                  + " WHERE wait_event_type = 'Lock' AND query LIKE '%FOR UPDATE%'")
                          .query(Long.class)
                          .single()
                      == 1);
      try (PreparedStatement cancelled =
          cancel.prepareStatement(
              "UPDATE jobs SET status = 'CANCELLED', cancel_requested_at = now(),"
                  + " finished_at = now() WHERE workflow_id = ?")) {
        cancelled.setString(1, workflowId);
        cancelled.executeUpdate();
      }
      cancel.commit();
      relayStart.join(10_000);
    }

    assertThat(startedByRelay[0]).isFalse();
    assertThat(startCalls).hasValue(0);
    Map<String, Object> row = row(workflowId);
    assertThat(row.get("status")).isEqualTo("CANCELLED");
    assertThat(row.get("workflow_started_at")).isNull();
    assertThat(claims.claimDue(10)).as("never claimed again").isEmpty();
  }
}
