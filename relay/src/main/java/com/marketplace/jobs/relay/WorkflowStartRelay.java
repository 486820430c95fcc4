package com.marketplace.jobs.relay;

import com.marketplace.jobs.common.JobSearchAttributes;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.Priority;
import io.temporal.common.SearchAttributes;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Starts the workflow of every PENDING job that Temporal does not have yet: right after it is
 * accepted (woken by the intake's NOTIFY, whichever api instance accepted it), and again after a
 * crash or while the Temporal server was unreachable (a poll every {@code poll-interval} picks up
 * what is due).
 *
 * <p>Every worker runs one with eager start, so a fresh job's first workflow task comes back in the
 * start response and runs in the same process, without a dispatch through the server's task queue.
 * Such a relay (no start delay) is a <em>primary</em>: it holds a shared advisory lock on its
 * LISTEN session for as long as it runs. The api runs a <em>standby</em> (a start delay): it claims
 * nothing while any primary holds that lock, so a backlog is always started eagerly by the workers,
 * and it starts jobs older than its delay only while no worker's relay is connected.
 *
 * <p>Jobs are claimed with {@code FOR UPDATE SKIP LOCKED} and a lease, in order of priority then
 * age, and started with bounded concurrency. The workflow id derives from the job id and the reuse
 * policy refuses duplicates, so a job is never started twice even if two relays race or a start is
 * retried after it had in fact succeeded.
 *
 * <p>While the Temporal server is unreachable the relay pauses as a whole (backoff doubling up to
 * {@code max-backoff}) and hands back what it had claimed; when the server answers again it claims
 * afresh, so the backlog of an outage is started in priority order, payments first. A start that
 * fails for any other reason backs off for that job only.
 */
public class WorkflowStartRelay implements SmartLifecycle {

  /** The channel the intake NOTIFYs after each accepted job. */
  public static final String CHANNEL = "jobs_pending";

  /**
   * The advisory lock (two-key form, apart from the one-key locks of the intake) every primary
   * relay holds, shared, while it runs: ("jobs", 1).
   */
  static final int LOCK_NAMESPACE = 0x6a6f6273;

  static final int PRIMARY_RELAY_LOCK = 1;

  private static final Logger log = LoggerFactory.getLogger(WorkflowStartRelay.class);

  record PendingStart(
      UUID jobId,
      String type,
      String workflowId,
      String workflowType,
      String taskQueue,
      int priority,
      String payload,
      Long tenantId,
      Long companyId,
      int relayAttempts,
      java.time.OffsetDateTime createdAt) {}

  private final JdbcClient jdbc;
  private final DataSource dataSource;
  private final WorkflowClient client;
  private final RelayProperties properties;
  private final Semaphore capacity;
  private final Object wakeUp = new Object();
  private final AtomicInteger started = new AtomicInteger();
  private volatile boolean woken;
  private volatile boolean running;

  /** Whether this standby last found a primary connected (logged when it changes). */
  private volatile boolean stoodBy;

  /** Set while Temporal is unreachable: no claims before this instant (System.nanoTime). */
  private volatile long pausedUntil = System.nanoTime();

  private final AtomicInteger unreachableInARow = new AtomicInteger();
  private ExecutorService starters;
  private Thread dispatcher;
  private Thread listener;

  public WorkflowStartRelay(
      JdbcClient jdbc, DataSource dataSource, WorkflowClient client, RelayProperties properties) {
    this.jdbc = jdbc;
    this.dataSource = dataSource;
    this.client = client;
    this.properties = properties;
    this.capacity = new Semaphore(properties.concurrency());
  }

  @Override
  public void start() {
    if (!properties.enabled()) {
      return;
    }
    running = true;
    AtomicInteger threadNumber = new AtomicInteger();
    starters =
        Executors.newFixedThreadPool(
            properties.concurrency(),
            task -> daemon("relay-start-" + threadNumber.incrementAndGet(), task));
    dispatcher = daemon("relay-dispatcher", this::dispatchLoop);
    // A standby takes only jobs older than its delay, which its poll finds in time: waking it on
    // every accepted job (hundreds a second in a burst) would only run empty claims on the api's
    // CPU while it answers the burst.
    listener = standby() ? null : daemon("relay-listener", this::listenLoop);
    dispatcher.start();
    if (listener != null) {
      listener.start();
    }
  }

  private static Thread daemon(String name, Runnable task) {
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    return thread;
  }

  @Override
  public void stop() {
    if (!running) {
      return;
    }
    running = false;
    wake();
    dispatcher.interrupt();
    if (listener != null) {
      listener.interrupt();
    }
    starters.shutdown();
    try {
      starters.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** Jobs the relay still owes a start: the backlog shown by the "relay" health indicator. */
  public long backlog() {
    return jdbc.sql("SELECT count(*) FROM jobs WHERE workflow_started_at IS NULL")
        .query(Long.class)
        .single();
  }

  void wake() {
    synchronized (wakeUp) {
      woken = true;
      wakeUp.notifyAll();
    }
  }

  private void dispatchLoop() {
    while (running) {
      try {
        long pause = pausedUntil - System.nanoTime();
        if (pause > 0) {
          Thread.sleep(Math.max(1, pause / 1_000_000));
          continue;
        }
        int free = capacity.availablePermits();
        List<PendingStart> claimed =
            free == 0 || standingBy()
                ? List.of()
                : claimDue(Math.min(free, properties.batchSize()));
        for (PendingStart job : claimed) {
          capacity.acquire();
          starters.execute(
              () -> {
                try {
                  start(job);
                } finally {
                  capacity.release();
                  wake();
                }
              });
        }
        if (claimed.isEmpty() || capacity.availablePermits() == 0) {
          awaitWakeUp();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        log.warn("relay could not read due jobs; retrying shortly", e);
        sleepQuietly(properties.pollInterval());
      }
    }
  }

  private void awaitWakeUp() throws InterruptedException {
    synchronized (wakeUp) {
      if (!woken) {
        wakeUp.wait(properties.pollInterval().toMillis());
      }
      woken = false;
    }
  }

  private boolean standby() {
    return !properties.startDelay().isZero();
  }

  /** A standby relay waits while a primary relay (a worker's) is connected. */
  private boolean standingBy() {
    if (!standby()) {
      return false;
    }
    boolean primaryConnected = primaryRelayConnected();
    if (primaryConnected != stoodBy) {
      stoodBy = primaryConnected;
      log.info(
          primaryConnected
              ? "a worker's relay is connected; this relay stands by"
              : "no worker's relay is connected; this relay starts jobs older than {}",
          properties.startDelay());
    }
    return primaryConnected;
  }

  /** Whether any primary relay holds its lock, in this database. */
  boolean primaryRelayConnected() {
    return jdbc.sql(
            """
            SELECT EXISTS (SELECT 1 FROM pg_locks
                            WHERE locktype = 'advisory' AND granted AND objsubid = 2
                              AND classid = :namespace::oid AND objid = :lock::oid
                              AND database = (SELECT oid FROM pg_database
                                               WHERE datname = current_database()))
            """)
        .param("namespace", LOCK_NAMESPACE)
        .param("lock", PRIMARY_RELAY_LOCK)
        .query(Boolean.class)
        .single();
  }

  private List<PendingStart> claimDue(int limit) {
    List<PendingStart> claimed =
        jdbc.sql(
                """
                UPDATE jobs SET relay_next_attempt_at = now() + make_interval(secs => :lease),
                                relay_attempts = relay_attempts + 1
                 WHERE id IN (SELECT id FROM jobs
                               WHERE workflow_started_at IS NULL AND relay_next_attempt_at <= now()
                                 AND created_at <= now() - make_interval(secs => :startDelay)
                               ORDER BY priority, created_at
                               LIMIT :limit
                               FOR UPDATE SKIP LOCKED)
                RETURNING id, type, workflow_id, workflow_type, task_queue, priority,
                          payload::text AS payload, tenant_id, company_id, relay_attempts,
                          created_at
                """)
            .param("lease", properties.claimLease().toSeconds())
            .param("startDelay", properties.startDelay().toMillis() / 1000.0)
            .param("limit", limit)
            .query(
                (rs, row) ->
                    new PendingStart(
                        rs.getObject("id", UUID.class),
                        rs.getString("type"),
                        rs.getString("workflow_id"),
                        rs.getString("workflow_type"),
                        rs.getString("task_queue"),
                        rs.getInt("priority"),
                        rs.getString("payload"),
                        (Long) rs.getObject("tenant_id"),
                        (Long) rs.getObject("company_id"),
                        rs.getInt("relay_attempts"),
                        rs.getObject("created_at", java.time.OffsetDateTime.class)))
            .list();
    return claimed.stream()
        .sorted(
            Comparator.comparingInt(PendingStart::priority).thenComparing(PendingStart::createdAt))
        .toList();
  }

  private void start(PendingStart job) {
    try {
      var execution =
          client
              .newUntypedWorkflowStub(job.workflowType(), optionsFor(job))
              .start(WorkflowPayloads.toTree(job.payload()));
      markStarted(job, execution.getRunId());
      started.incrementAndGet();
      unreachableInARow.set(0);
    } catch (WorkflowExecutionAlreadyStarted e) {
      // An earlier start succeeded (or another relay won): the job is Temporal's now.
      markStarted(job, null);
    } catch (RuntimeException e) {
      if (isUnreachable(e)) {
        pauseForOutage(job, e);
        return;
      }
      Duration backoff = backoff(job.relayAttempts());
      log.warn(
          "job {}: starting workflow {} failed ({}); retrying in {} ms",
          job.jobId(),
          job.workflowId(),
          e.getClass().getSimpleName(),
          backoff.toMillis());
      jdbc.sql(
              """
              UPDATE jobs SET relay_next_attempt_at = now() + make_interval(secs => :seconds)
               WHERE id = :id AND workflow_started_at IS NULL
              """)
          .param("seconds", backoff.toMillis() / 1000.0)
          .param("id", job.jobId())
          .update();
    }
  }

  /**
   * Temporal did not answer: pause the whole relay and give the job back at once, so that after the
   * outage the backlog is claimed again in priority order rather than in the order of each job's
   * own backoff.
   */
  private void pauseForOutage(PendingStart job, RuntimeException e) {
    int outages = unreachableInARow.incrementAndGet();
    Duration pause = backoff(outages);
    long until = System.nanoTime() + pause.toNanos();
    // nanoTime values are compared by difference only: their origin is arbitrary.
    if (until - pausedUntil > 0) {
      pausedUntil = until;
    }
    if (outages == 1 || outages % 20 == 0) {
      log.warn(
          "Temporal unreachable while starting job {} ({}); relay paused {} ms",
          job.jobId(),
          e.getClass().getSimpleName(),
          pause.toMillis());
    }
    jdbc.sql(
            """
            UPDATE jobs SET relay_next_attempt_at = now()
             WHERE id = :id AND workflow_started_at IS NULL
            """)
        .param("id", job.jobId())
        .update();
  }

  /** A gRPC UNAVAILABLE or DEADLINE_EXCEEDED anywhere in the cause chain. */
  static boolean isUnreachable(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof StatusRuntimeException status) {
        Status.Code code = status.getStatus().getCode();
        return code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  private WorkflowOptions optionsFor(PendingStart job) {
    SearchAttributes.Builder attributes =
        SearchAttributes.newBuilder()
            .set(JobSearchAttributes.JOB_TYPE, job.type())
            .set(JobSearchAttributes.JOB_ID, job.jobId().toString());
    if (job.tenantId() != null) {
      attributes.set(JobSearchAttributes.TENANT_ID, job.tenantId().toString());
    }
    if (job.companyId() != null) {
      attributes.set(JobSearchAttributes.COMPANY_ID, job.companyId().toString());
    }
    return WorkflowOptions.newBuilder()
        .setWorkflowId(job.workflowId())
        .setTaskQueue(job.taskQueue())
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
        .setTypedSearchAttributes(attributes.build())
        .setPriority(Priority.newBuilder().setPriorityKey(job.priority()).build())
        .setDisableEagerExecution(!properties.eager())
        .build();
  }

  private void markStarted(PendingStart job, String runId) {
    jdbc.sql(
            """
            UPDATE jobs SET workflow_started_at = coalesce(workflow_started_at, now()),
                            run_id = coalesce(run_id, :runId), updated_at = now()
             WHERE id = :id
            """)
        .param("runId", runId)
        .param("id", job.jobId())
        .update();
  }

  private Duration backoff(int relayAttempts) {
    long millis = 250L << Math.min(Math.max(relayAttempts - 1, 0), 10);
    return Duration.ofMillis(Math.min(millis, properties.maxBackoff().toMillis()));
  }

  /**
   * Listens for accepted jobs, and holds the primary relay lock on the same session: it lives as
   * long as this relay's connection, so a killed worker's lock goes with it.
   */
  private void listenLoop() {
    while (running) {
      try (Connection connection = dataSource.getConnection()) {
        connection.setAutoCommit(true);
        try (Statement statement = connection.createStatement()) {
          statement.execute("LISTEN " + CHANNEL);
          statement.execute(
              "SELECT pg_advisory_lock_shared(%d, %d)"
                  .formatted(LOCK_NAMESPACE, PRIMARY_RELAY_LOCK));
        }
        try {
          PGConnection postgres = connection.unwrap(PGConnection.class);
          while (running) {
            PGNotification[] notifications = postgres.getNotifications(1000);
            if (notifications != null && notifications.length > 0) {
              wake();
            }
          }
        } finally {
          // The connection goes back to the pool: leave no lock or subscription on it.
          try (Statement statement = connection.createStatement()) {
            statement.execute("UNLISTEN *");
            statement.execute("SELECT pg_advisory_unlock_all()");
          }
        }
      } catch (SQLException e) {
        if (running) {
          log.warn("relay lost its LISTEN connection; reconnecting ({})", e.getMessage());
          sleepQuietly(properties.pollInterval());
        }
      }
    }
  }

  private static void sleepQuietly(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
