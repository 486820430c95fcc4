package com.marketplace.jobs.ops;

/**
 * What an operations alert is about; with its subject, the alert's unique key (one alert per
 * subject and condition). {@link #id()} is its name in the {@code ops_alerts} table and the {@code
 * condition} tag of {@code jobs.alerts.sent}.
 */
public enum AlertCondition {
  /** A job exhausted its retries (FAILED); subject: the job and its run. */
  JOB_FAILED("job_failed", "Job failed"),
  /** A job is stuck (overdue, no progress, retrying); subject: the job. */
  JOB_STUCK("job_stuck", "Job stuck"),
  /** Jobs of one type failing repeatedly; subject: the type and the window it was seen in. */
  TYPE_FAILING("type_failing", "Job type failing repeatedly"),
  /** A schedule's expected run is not in the run log; subject: the schedule and that time. */
  SCHEDULE_MISSED("schedule_missed", "Scheduled run missed");

  private final String id;
  private final String title;

  AlertCondition(String id, String title) {
    this.id = id;
    this.title = title;
  }

  public String id() {
    return id;
  }

  /** The alert's headline, as people read it. */
  public String title() {
    return title;
  }

  public static AlertCondition byId(String id) {
    for (AlertCondition condition : values()) {
      if (condition.id.equals(id)) {
        return condition;
      }
    }
    throw new IllegalArgumentException("unknown alert condition " + id);
  }
}
