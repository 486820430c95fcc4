package com.marketplace.jobs.common;

import java.util.Locale;

/**
 * The names and tags of the service's business metrics, shared by the api (jobs accepted, retried
 * from /ops or the API) and the worker (everything a job goes through after that). Micrometer
 * names: Prometheus shows {@code jobs.accepted} as {@code jobs_accepted_total} and the timers with
 * a {@code _seconds} suffix. docs/operations.md#metrics lists each with its type and tags.
 *
 * <p>Tags are few and bounded: the job type's id, its priority tier's name, a finished job's
 * outcome, a schedule's id. Never a job id or anything about a person.
 */
public final class JobMetricNames {

  /** Counter: jobs accepted (a new ledger row), never an idempotent replay. */
  public static final String ACCEPTED = "jobs.accepted";

  /** Counter: jobs whose first attempt started (the ledger row got its start time). */
  public static final String STARTED = "jobs.started";

  /** Counter: jobs that became COMPLETED. */
  public static final String COMPLETED = "jobs.completed";

  /** Counter: jobs that became FAILED. */
  public static final String FAILED = "jobs.failed";

  /** Counter: jobs that became CANCELLED. */
  public static final String CANCELLED = "jobs.cancelled";

  /** Counter: failed jobs run again (resolution RETRIED): an operator's retry or reset. */
  public static final String RETRIED = "jobs.retried";

  /** Timer: from a job's acceptance (or due time, if delayed) to its start. */
  public static final String ACCEPT_TO_START = "jobs.accept.to.start";

  /** Timer: from a job's acceptance (or due time, if delayed) to its end; tag {@code outcome}. */
  public static final String ACCEPT_TO_FINISH = "jobs.accept.to.finish";

  /** Timer: a scheduled run's start minus its scheduled time; tag {@code schedule}. */
  public static final String SCHEDULE_LATENESS = "jobs.schedule.lateness";

  public static final String TAG_TYPE = "type";
  public static final String TAG_PRIORITY = "priority";
  public static final String TAG_OUTCOME = "outcome";
  public static final String TAG_SCHEDULE = "schedule";

  private JobMetricNames() {}

  /** The {@code priority} tag's value: the tier's name, {@code payment}, {@code internal}... */
  public static String priorityTag(JobPriority priority) {
    return priority.name().toLowerCase(Locale.ROOT);
  }
}
