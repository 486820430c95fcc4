package com.marketplace.jobs.api.intake;

import com.marketplace.jobs.common.JobMetricNames;
import com.marketplace.jobs.common.JobType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The api's business counters ({@link JobMetricNames}): jobs accepted through HTTP triggers and
 * webhooks ({@link JobIntake}: new jobs only, never an idempotent replay), failed jobs retried from
 * /ops or the API, and jobs cancelled through the API before they ran. Each exists from the start
 * for every job type at zero, so Prometheus sees a type's first job as an increase. The worker
 * counts everything that happens to a job afterwards.
 */
@Component
public class JobCounters {

  private final Map<JobType, Counter> accepted = new EnumMap<>(JobType.class);
  private final Map<JobType, Counter> retried = new EnumMap<>(JobType.class);
  private final Map<JobType, Counter> cancelled = new EnumMap<>(JobType.class);

  public JobCounters(MeterRegistry meters) {
    for (JobType type : JobType.values()) {
      accepted.put(type, counter(meters, JobMetricNames.ACCEPTED, type));
      retried.put(type, counter(meters, JobMetricNames.RETRIED, type));
      cancelled.put(type, counter(meters, JobMetricNames.CANCELLED, type));
    }
  }

  /** A new job's ledger row committed. */
  public void accepted(JobType type) {
    accepted.get(type).increment();
  }

  /** A failed job was retried: its ledger row is PROCESSING again with resolution RETRIED. */
  public void retried(JobType type) {
    retried.get(type).increment();
  }

  /**
   * The api itself made the job CANCELLED: it was not yet handed to Temporal, or it was waiting for
   * its due time and its workflow was terminated.
   */
  public void cancelled(JobType type) {
    cancelled.get(type).increment();
  }

  private static Counter counter(MeterRegistry meters, String name, JobType type) {
    return Counter.builder(name)
        .tag(JobMetricNames.TAG_TYPE, type.id())
        .tag(JobMetricNames.TAG_PRIORITY, JobMetricNames.priorityTag(type.priority()))
        .register(meters);
  }
}
