package com.marketplace.jobs.moderation;

import com.marketplace.jobs.common.FailureType;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The moderation sagas' shared machinery (workflow code: deterministic, no I/O): named steps with
 * progress, each compensation registered before its step runs (a step that failed half-way may have
 * committed some batches), and a rollback that undoes the completed steps newest first in a
 * detached cancellation scope, so cancelling a job rolls it back too.
 */
final class Saga {

  private static final RetryOptions STEP_RETRY =
      RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofSeconds(1))
          .setBackoffCoefficient(2.0)
          .setMaximumInterval(Duration.ofSeconds(30))
          .setMaximumAttempts(4)
          .build();

  /** Compensations try harder: 10 attempts over several minutes before a person is needed. */
  private static final RetryOptions COMPENSATION_RETRY =
      RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofSeconds(1))
          .setBackoffCoefficient(2.0)
          .setMaximumInterval(Duration.ofMinutes(1))
          .setMaximumAttempts(10)
          .build();

  /**
   * Bulk forward steps (1 try + 3 retries) heartbeat after every batch. A batch is at most one
   * short transaction that waits at most 10 s for a row lock, or one call to the search index or
   * the marketplace whose client gives up within 10 s per phase (pool, connect, read): so a live
   * attempt heartbeats well within 60 s, and 30 minutes bound the largest company's step. On
   * cancellation the workflow waits until a running step has really stopped (it learns of the
   * cancellation from its next heartbeat), so the rollback never races a step still changing rows.
   */
  static final ActivityOptions BULK_STEP =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(30))
          .setHeartbeatTimeout(Duration.ofSeconds(60))
          .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
          .setRetryOptions(STEP_RETRY)
          .build();

  /**
   * One-statement forward steps (counting, a company's status): no heartbeat, so no heartbeat
   * timeout; a minute is far above one statement that waits at most 10 s for a lock.
   */
  static final ActivityOptions SHORT_STEP =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(1))
          .setRetryOptions(STEP_RETRY)
          .build();

  /** Bulk compensations heartbeat after every batch, like the bulk steps. */
  static final ActivityOptions BULK_COMPENSATION =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(30))
          .setHeartbeatTimeout(Duration.ofSeconds(60))
          .setRetryOptions(COMPENSATION_RETRY)
          .build();

  /**
   * One-statement compensations (a company's status, the fence): no heartbeat. The fence waits for
   * a late forward write in flight to commit, which waits at most 10 s for a row lock.
   */
  static final ActivityOptions SHORT_COMPENSATION =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(1))
          .setRetryOptions(COMPENSATION_RETRY)
          .build();

  /** Reads the workflow decides on (how many changes a rollback restored): local, no round trip. */
  static final LocalActivityOptions LOCAL_READ =
      LocalActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(30))
          .setRetryOptions(STEP_RETRY)
          .build();

  /**
   * Stubs for the forward steps of {@code activities}: {@link #BULK_STEP} options, {@link
   * #SHORT_STEP} for the activity types named in {@code shortTypes}.
   */
  static <T> T forwardSteps(Class<T> activities, Set<String> shortTypes) {
    return Workflow.newActivityStub(activities, BULK_STEP, optionsFor(shortTypes, SHORT_STEP));
  }

  /** Stubs for the compensations, likewise. */
  static <T> T compensations(Class<T> activities, Set<String> shortTypes) {
    return Workflow.newActivityStub(
        activities, BULK_COMPENSATION, optionsFor(shortTypes, SHORT_COMPENSATION));
  }

  private static Map<String, ActivityOptions> optionsFor(
      Set<String> activityTypes, ActivityOptions options) {
    Map<String, ActivityOptions> byType = new HashMap<>();
    activityTypes.forEach(type -> byType.put(type, options));
    return byType;
  }

  /**
   * Accepting the follow-up email job, after the saga committed: one short insert, no heartbeat.
   * Retried for about ten minutes; if the ledger stays unreachable that long the job still ends as
   * its changes did, with the error on its ledger row.
   */
  static final ActivityOptions FOLLOW_UP_OPTIONS =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(30))
          .setRetryOptions(
              RetryOptions.newBuilder()
                  .setInitialInterval(Duration.ofSeconds(1))
                  .setBackoffCoefficient(2.0)
                  .setMaximumInterval(Duration.ofMinutes(1))
                  .setMaximumAttempts(15)
                  .build())
          .build();

  private record Compensation(String what, Runnable undo) {}

  private final String job;
  private final Runnable fence;
  private final Deque<Compensation> compensations = new ArrayDeque<>();
  private final Set<String> registered = new HashSet<>();
  private ModerationProgress progress = new ModerationProgress("starting", 0, 0);

  /**
   * @param job how messages name the job, e.g. "Ban of company 101"
   * @param fence the rollback's first act: fences the run against late writes of its own steps
   */
  Saga(String job, Runnable fence) {
    this.job = job;
    this.fence = fence;
  }

  ModerationProgress progress() {
    return progress;
  }

  void progress(String step, long completed, long total) {
    progress = new ModerationProgress(step, completed, total);
  }

  /**
   * Registers {@code undo} (named for the message if it fails; once per name, so a step applied
   * again is undone once), then runs {@code step}.
   */
  <T> T step(
      String step, long completed, long total, String undoes, Runnable undo, Supplier<T> run) {
    progress(step, completed, total);
    if (undo != null && registered.add(undoes)) {
      compensations.push(new Compensation(undoes, undo));
    }
    return run.get();
  }

  /**
   * Fences the run, then undoes every registered step, newest first, and returns the failure the
   * workflow ends with: ROLLED_BACK when everything was undone, ROLLBACK_INCOMPLETE naming what
   * could not be.
   */
  ApplicationFailure rollBack(TemporalFailure cause) {
    String failedStep = progress.step();
    List<String> notRestored = new ArrayList<>();
    Workflow.newDetachedCancellationScope(
            () -> {
              progress("rolling back: fence", progress.completed(), progress.total());
              try {
                fence.run();
              } catch (ActivityFailure e) {
                // The undo still runs; a late write after it stays possible and is reported.
                notRestored.add("the fence against late writes");
              }
              for (Compensation compensation : compensations) {
                progress(
                    "rolling back: " + compensation.what(), progress.completed(), progress.total());
                try {
                  compensation.undo().run();
                } catch (ActivityFailure e) {
                  notRestored.add(compensation.what());
                }
              }
            })
        .run();
    String what =
        isCancellation(cause)
            ? job + " was cancelled during step '" + failedStep + "'"
            : job + " failed at step '" + failedStep + "' (" + rootMessage(cause) + ")";
    if (notRestored.isEmpty()) {
      progress("rolled back", progress.completed(), progress.total());
      return ApplicationFailure.newNonRetryableFailure(
          what + " and was rolled back.", FailureType.ROLLED_BACK.name());
    }
    progress("rollback incomplete", progress.completed(), progress.total());
    return ApplicationFailure.newNonRetryableFailure(
        what
            + "; the rollback is incomplete: could not restore "
            + String.join(", ", notRestored)
            + ". Everything else was restored.",
        FailureType.ROLLBACK_INCOMPLETE.name());
  }

  /**
   * Runs a follow-up of a saga that committed (accepting the email about it): its failure is logged
   * and never undoes anything, so the job ends as its changes did, with the follow-up's last error
   * on its ledger row.
   */
  static void afterCommit(String what, Runnable followUp) {
    try {
      followUp.run();
    } catch (ActivityFailure e) {
      Workflow.getLogger(Saga.class).warn("{} could not be accepted: {}", what, rootMessage(e));
    }
  }

  private static boolean isCancellation(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof CanceledFailure) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message =
        root instanceof ApplicationFailure application
            ? application.getOriginalMessage()
            : root.getMessage();
    return message == null ? root.getClass().getSimpleName() : message;
  }
}
