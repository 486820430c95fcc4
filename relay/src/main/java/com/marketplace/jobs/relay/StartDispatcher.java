package com.marketplace.jobs.relay;

import com.marketplace.jobs.common.FailureType;
import com.marketplace.jobs.common.JobSearchAttributes;
import io.grpc.Status;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.Priority;
import io.temporal.common.SearchAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start loop: one dispatcher thread claims as many due jobs as there are free starters (at most
 * {@code batch-size}), and {@code concurrency} starter threads call StartWorkflow, so a slow server
 * holds back at most that many starts and never the claims of other relays. The dispatcher sleeps
 * until a starter finishes, a NOTIFY arrives, or {@code poll-interval} passes.
 *
 * <p>While the Temporal server is unreachable the whole loop pauses (backoff doubling up to {@code
 * max-backoff}) and hands back what it had claimed, so after the outage the backlog is claimed
 * afresh in priority order rather than in the order of each job's own backoff. A start the server
 * refuses for good ({@link StartFailure#REFUSED}) is tried {@code max-refused-starts} times, then
 * the job is FAILED. A start that fails for any other reason backs off for that job only.
 */
final class StartDispatcher {

  // One log category for the whole relay, as before it was split into parts.
  private static final Logger log = LoggerFactory.getLogger(WorkflowStartRelay.class);

  private final PendingStartClaims claims;
  private final WorkflowClient client;
  private final RelayProperties properties;
  private final Semaphore capacity;
  private final Object wakeUp = new Object();
  private final AtomicInteger unreachableInARow = new AtomicInteger();
  private volatile boolean woken;
  private volatile boolean running;

  /** Set while Temporal is unreachable: no claims before this instant (System.nanoTime). */
  private volatile long pausedUntil = System.nanoTime();

  private ExecutorService starters;
  private Thread dispatcher;

  StartDispatcher(PendingStartClaims claims, WorkflowClient client, RelayProperties properties) {
    this.claims = claims;
    this.client = client;
    this.properties = properties;
    this.capacity = new Semaphore(properties.concurrency());
  }

  /** Starts the dispatcher; it claims nothing while {@code standingBy} says so. */
  void start(BooleanSupplier standingBy) {
    running = true;
    AtomicInteger threadNumber = new AtomicInteger();
    starters =
        Executors.newFixedThreadPool(
            properties.concurrency(),
            task -> RelayThreads.daemon("relay-start-" + threadNumber.incrementAndGet(), task));
    dispatcher = RelayThreads.daemon("relay-dispatcher", () -> dispatchLoop(standingBy));
    dispatcher.start();
  }

  /** Stops claiming, and waits up to 10 s for the starts in flight. */
  void stop() {
    running = false;
    wake();
    dispatcher.interrupt();
    starters.shutdown();
    try {
      starters.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Claim now rather than at the next poll. */
  void wake() {
    synchronized (wakeUp) {
      woken = true;
      wakeUp.notifyAll();
    }
  }

  private void dispatchLoop(BooleanSupplier standingBy) {
    while (running) {
      try {
        long pause = pausedUntil - System.nanoTime();
        if (pause > 0) {
          Thread.sleep(Math.max(1, pause / 1_000_000));
          continue;
        }
        int free = capacity.availablePermits();
        List<PendingStart> claimed =
            free == 0 || standingBy.getAsBoolean()
                ? List.of()
                : claims.claimDue(Math.min(free, properties.batchSize()));
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
        RelayThreads.sleepQuietly(properties.pollInterval());
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

  private void start(PendingStart job) {
    try {
      boolean started =
          claims.startIfStillOwed(
              job,
              () ->
                  client
                      .newUntypedWorkflowStub(job.workflowType(), optionsFor(job))
                      .start(WorkflowPayloads.toTree(job.payload()))
                      .getRunId());
      unreachableInARow.set(0);
      if (!started) {
        log.info("job {}: no longer owed a start (cancelled, or started elsewhere)", job.jobId());
      }
    } catch (WorkflowExecutionAlreadyStarted e) {
      // An earlier start succeeded (or another relay won): the job is Temporal's now.
      claims.markStarted(job, null);
    } catch (RuntimeException e) {
      switch (StartFailure.of(e)) {
        case UNREACHABLE -> pauseForOutage(job, e);
        case REFUSED -> refused(job, StartFailure.grpcStatus(e).orElseThrow());
        case OTHER -> {
          Duration backoff = backoff(job.relayAttempts());
          log.warn(
              "job {}: starting workflow {} failed ({}{}); retrying in {} ms",
              job.jobId(),
              job.workflowId(),
              e.getClass().getSimpleName(),
              StartFailure.grpcStatus(e).map(status -> ", " + status.getCode()).orElse(""),
              backoff.toMillis());
          claims.retryLater(job, backoff);
        }
      }
    }
  }

  /**
   * Temporal refused the start for good: counted on the row, tried again after the job's backoff,
   * and the job FAILED once {@code max-refused-starts} is reached. Other jobs go on starting.
   */
  private void refused(PendingStart job, Status status) {
    String reason =
        "Temporal refused to start the workflow: "
            + status.getCode()
            + (status.getDescription() == null ? "" : " (" + status.getDescription() + ")");
    Duration backoff = backoff(job.relayAttempts());
    int refusals = claims.recordRefusal(job, reason, properties.maxRefusedStarts(), backoff);
    if (refusals >= properties.maxRefusedStarts()) {
      log.warn(
          "job {}: Temporal refused to start workflow {} ({}) {} times; the job is FAILED ({})",
          job.jobId(),
          job.workflowId(),
          status.getCode(),
          refusals,
          FailureType.START_REFUSED);
    } else {
      log.warn(
          "job {}: Temporal refused to start workflow {} ({}), refusal {} of {}; retrying in {} ms",
          job.jobId(),
          job.workflowId(),
          status.getCode(),
          refusals,
          properties.maxRefusedStarts(),
          backoff.toMillis());
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
    claims.handBack(job);
  }

  /**
   * Workflow id from the job id with duplicates refused (a job never starts twice, even when relays
   * race or a start that in fact succeeded is retried), the search attributes the /ops page and the
   * CLI filter by, the job's tier as Temporal's priority key, which its activities inherit, and a
   * delayed job's start delay.
   */
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
    Duration startDelay = startDelay(job, Instant.now());
    WorkflowOptions.Builder options =
        WorkflowOptions.newBuilder()
            .setWorkflowId(job.workflowId())
            .setTaskQueue(job.taskQueue())
            .setWorkflowIdReusePolicy(
                WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
            .setTypedSearchAttributes(attributes.build())
            .setPriority(Priority.newBuilder().setPriorityKey(job.priority()).build())
            // Eager start hands back a first task that a delayed workflow must not run yet.
            .setDisableEagerExecution(!properties.eager() || !startDelay.isZero());
    if (!startDelay.isZero()) {
      options.setStartDelay(startDelay);
    }
    return options.build();
  }

  /**
   * How long Temporal should hold a delayed job's first workflow task: until its due time, kept by
   * the server as a durable timer (shown by the Web UI and {@code temporal workflow describe}).
   * Zero for a job due at once or already due.
   */
  static Duration startDelay(PendingStart job, Instant now) {
    if (job.notBefore() == null) {
      return Duration.ZERO;
    }
    Duration delay = Duration.between(now, job.notBefore().toInstant());
    return delay.isNegative() ? Duration.ZERO : delay;
  }

  private Duration backoff(int relayAttempts) {
    long millis = 250L << Math.min(Math.max(relayAttempts - 1, 0), 10);
    return Duration.ofMillis(Math.min(millis, properties.maxBackoff().toMillis()));
  }
}
