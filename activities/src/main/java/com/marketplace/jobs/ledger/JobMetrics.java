package com.marketplace.jobs.ledger;

import com.marketplace.jobs.common.JobMetricNames;
import com.marketplace.jobs.common.JobType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Locale;
import org.springframework.stereotype.Component;

/**
 * The worker's business metrics ({@link JobMetricNames}): what happens to jobs after the api
 * accepted them, counted by whoever writes the ledger transition, once per real transition (a
 * replayed or duplicate write changes no row and counts nothing).
 *
 * <p>Every counter exists from the start for every job type at zero, so Prometheus sees a job
 * type's first failure as an increase rather than as a new series.
 */
@Component
public class JobMetrics {

  /** Accept-to-start and accept-to-finish: 50 ms up to 2 h, with buckets at the usual targets. */
  private static final Duration[] JOB_SLOS = {
    Duration.ofMillis(100),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofSeconds(5),
    Duration.ofSeconds(30),
    Duration.ofMinutes(1),
    Duration.ofMinutes(5),
    Duration.ofMinutes(15),
    Duration.ofHours(1)
  };

  /** Schedule lateness: a run is normally started within a second or two of its time. */
  private static final Duration[] LATENESS_SLOS = {
    Duration.ofSeconds(1),
    Duration.ofSeconds(5),
    Duration.ofSeconds(30),
    Duration.ofMinutes(1),
    Duration.ofMinutes(5),
    Duration.ofMinutes(15)
  };

  private final MeterRegistry meters;

  public JobMetrics(MeterRegistry meters) {
    this.meters = meters;
    for (JobType type : JobType.values()) {
      for (String counter :
          new String[] {
            JobMetricNames.ACCEPTED,
            JobMetricNames.STARTED,
            JobMetricNames.COMPLETED,
            JobMetricNames.FAILED,
            JobMetricNames.CANCELLED,
            JobMetricNames.RETRIED
          }) {
        counter(counter, tags(type));
      }
    }
  }

  /** A job accepted by the worker: a scheduled run's ledger row, a follow-up job. */
  public void accepted(JobType type) {
    counter(JobMetricNames.ACCEPTED, tags(type)).increment();
  }

  /** A ledger row got its start time: the job's first attempt started. */
  public void started(String type, OffsetDateTime dueAt, OffsetDateTime startedAt) {
    Tags tags = tags(type);
    counter(JobMetricNames.STARTED, tags).increment();
    timer(JobMetricNames.ACCEPT_TO_START, tags, JOB_SLOS).record(between(dueAt, startedAt));
  }

  /** A ledger row became COMPLETED, FAILED or CANCELLED ({@code status}). */
  public void finished(
      String type, String status, OffsetDateTime dueAt, OffsetDateTime finishedAt) {
    Tags tags = tags(type);
    String counter =
        switch (status) {
          case "COMPLETED" -> JobMetricNames.COMPLETED;
          case "CANCELLED" -> JobMetricNames.CANCELLED;
          default -> JobMetricNames.FAILED;
        };
    counter(counter, tags).increment();
    timer(
            JobMetricNames.ACCEPT_TO_FINISH,
            tags.and(JobMetricNames.TAG_OUTCOME, status.toLowerCase(Locale.ROOT)),
            JOB_SLOS)
        .record(between(dueAt, finishedAt));
  }

  /** A failed job runs again (resolution RETRIED). */
  public void retried(String type) {
    counter(JobMetricNames.RETRIED, tags(type)).increment();
  }

  /** A scheduled run started this long after its scheduled time. */
  public void scheduleLateness(String scheduleId, Duration lateness) {
    timer(
            JobMetricNames.SCHEDULE_LATENESS,
            Tags.of(JobMetricNames.TAG_SCHEDULE, scheduleId),
            LATENESS_SLOS)
        .record(lateness.isNegative() ? Duration.ZERO : lateness);
  }

  private Counter counter(String name, Tags tags) {
    return Counter.builder(name).tags(tags).register(meters);
  }

  private Timer timer(String name, Tags tags, Duration[] slos) {
    return Timer.builder(name)
        .tags(tags)
        .publishPercentileHistogram()
        .serviceLevelObjectives(slos)
        .minimumExpectedValue(Duration.ofMillis(50))
        .maximumExpectedValue(Duration.ofHours(2))
        .register(meters);
  }

  private static Tags tags(JobType type) {
    return Tags.of(
        JobMetricNames.TAG_TYPE,
        type.id(),
        JobMetricNames.TAG_PRIORITY,
        JobMetricNames.priorityTag(type.priority()));
  }

  /** A ledger row's type; a type this build does not know (an older row) counts as "unknown". */
  private static Tags tags(String type) {
    return JobType.byId(type)
        .map(JobMetrics::tags)
        .orElseGet(
            () ->
                Tags.of(
                    JobMetricNames.TAG_TYPE, "unknown", JobMetricNames.TAG_PRIORITY, "unknown"));
  }

  private static Duration between(OffsetDateTime from, OffsetDateTime to) {
    Duration duration = Duration.between(from, to);
    return duration.isNegative() ? Duration.ZERO : duration;
  }
}
