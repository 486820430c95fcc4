package com.marketplace.jobs.calendar;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;

public class CalendarSyncWorkflowImpl implements CalendarSyncWorkflow {

  private static final Logger log = Workflow.getLogger(CalendarSyncWorkflowImpl.class);

  /** Integrations synced at once: each is one activity; Google's per-user quota is shared. */
  static final int PARALLEL = 10;

  /** Integrations per run before it continues as new (about 4 history events each). */
  static final int INTEGRATIONS_PER_RUN = 1_000;

  /**
   * One integration's sync: a few pages of up to 250 events, each page's call under a minute even
   * with Google's rate-limit backoff, so it heartbeats per page. Three attempts, 10 s and 20 s
   * apart; one still failing is recorded and left to the next scheduled run (at most 30 minutes
   * later).
   */
  static final ActivityOptions SYNC_OPTIONS =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(10))
          .setHeartbeatTimeout(Duration.ofMinutes(2))
          .setRetryOptions(
              RetryOptions.newBuilder()
                  .setInitialInterval(Duration.ofSeconds(10))
                  .setBackoffCoefficient(2)
                  .setMaximumAttempts(3)
                  .build())
          .build();

  /** Listing, recording a failure, the conflict check: database only. */
  static final ActivityOptions DATABASE_OPTIONS =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(5))
          .setRetryOptions(
              RetryOptions.newBuilder()
                  .setInitialInterval(Duration.ofSeconds(1))
                  .setMaximumInterval(Duration.ofMinutes(1))
                  .setMaximumAttempts(10)
                  .build())
          .build();

  private final CalendarSyncActivities sync =
      Workflow.newActivityStub(CalendarSyncActivities.class, SYNC_OPTIONS);
  private final CalendarSyncActivities database =
      Workflow.newActivityStub(CalendarSyncActivities.class, DATABASE_OPTIONS);

  @Override
  public CalendarSyncRun run() {
    int integrations = 0;
    int fullSyncs = 0;
    int failed = 0;
    int pages = 0;
    int changed = 0;
    while (true) {
      if (integrations >= INTEGRATIONS_PER_RUN) {
        // The listing skips what this workflow id synced already: the next run goes on from here.
        Workflow.continueAsNew();
      }
      List<Long> batch = database.calendarIntegrationsToSync(PARALLEL);
      if (batch.isEmpty()) {
        break;
      }
      List<Promise<IntegrationSync>> running = new ArrayList<>();
      for (long id : batch) {
        running.add(Async.function(sync::calendarSyncIntegration, id));
      }
      for (int i = 0; i < batch.size(); i++) {
        integrations++;
        try {
          IntegrationSync result = running.get(i).get();
          pages += result.pages();
          changed += result.changed();
          if (result.fullSync()) {
            fullSyncs++;
          }
          if (result.error() != null) {
            failed++;
          }
        } catch (ActivityFailure failure) {
          failed++;
          Throwable cause = failure.getCause();
          String error =
              cause instanceof ApplicationFailure application
                  ? application.getOriginalMessage()
                  : cause != null ? cause.getMessage() : failure.getMessage();
          log.warn("calendar integration {}: sync gave up after its retries", batch.get(i));
          database.calendarRecordSyncFailure(batch.get(i), error);
        }
      }
    }
    ConflictCheck conflicts = database.calendarCheckConflicts();
    return new CalendarSyncRun(
        integrations, fullSyncs, failed, pages, changed, conflicts.flagged(), conflicts.cleared());
  }
}
