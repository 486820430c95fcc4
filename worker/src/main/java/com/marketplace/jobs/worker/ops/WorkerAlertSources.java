package com.marketplace.jobs.worker.ops;

import com.marketplace.jobs.common.JobType;
import com.marketplace.jobs.ledger.StuckJob;
import com.marketplace.jobs.ledger.StuckJobs;
import com.marketplace.jobs.ledger.StuckJobsGauge;
import com.marketplace.jobs.ledger.StuckReason;
import com.marketplace.jobs.ops.AlertCandidate;
import com.marketplace.jobs.ops.AlertCondition;
import com.marketplace.jobs.ops.AlertSources;
import com.marketplace.jobs.ops.AlertsProperties;
import com.marketplace.jobs.worker.scheduling.MissedScheduledRuns;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Stuck jobs and failing types by the shared rules ({@link StuckJobs}, which also set the {@code
 * jobs.stuck} gauge here), and missed scheduled runs, as alert candidates with their subjects.
 */
class WorkerAlertSources implements AlertSources {

  private final StuckJobs stuckJobs;
  private final StuckJobsGauge gauge;
  private final MissedScheduledRuns missedRuns;
  private final AlertsProperties properties;
  private final Clock clock;

  WorkerAlertSources(
      StuckJobs stuckJobs,
      StuckJobsGauge gauge,
      MissedScheduledRuns missedRuns,
      AlertsProperties properties,
      Clock clock) {
    this.stuckJobs = stuckJobs;
    this.gauge = gauge;
    this.missedRuns = missedRuns;
    this.properties = properties;
    this.clock = clock;
  }

  @Override
  public List<AlertCandidate> currentConditions() {
    Instant now = clock.instant();
    List<StuckJob> stuck = stuckJobs.find();
    gauge.record(stuck);
    List<AlertCandidate> candidates = new ArrayList<>();
    long window = stuckJobs.properties().failingTypeWindow().toSeconds();
    for (StuckJob job : stuck) {
      if (job.reason() == StuckReason.TYPE_FAILING) {
        // One alert per type per window length, however long the failures go on.
        Instant windowStart = Instant.ofEpochSecond(now.getEpochSecond() / window * window);
        candidates.add(
            new AlertCandidate(
                AlertCondition.TYPE_FAILING,
                job.type() + "@" + windowStart,
                null,
                job.type(),
                job.detail(),
                job.errorType(),
                job.errorMessage()));
      } else {
        candidates.add(
            new AlertCandidate(
                AlertCondition.JOB_STUCK,
                job.jobId().toString(),
                job.jobId().toString(),
                job.type(),
                job.detail(),
                job.errorType(),
                job.errorMessage()));
      }
    }
    for (MissedScheduledRuns.Missed missed :
        missedRuns.find(now, properties.lookback(), properties.missedRunGrace())) {
      candidates.add(
          new AlertCandidate(
              AlertCondition.SCHEDULE_MISSED,
              missed.scheduleId() + "@" + missed.scheduledAt(),
              null,
              JobType.byWorkflowType(missed.workflowType()).map(JobType::id).orElse(null),
              "expected at "
                  + missed.scheduledAt()
                  + " by the schedule's spec, not in the run log "
                  + properties.missedRunGrace().toMinutes()
                  + " min later",
              null,
              null));
    }
    return candidates;
  }
}
