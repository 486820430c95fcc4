package com.marketplace.jobs.ledger;

/**
 * Why a job (or a job type) is listed as stuck: the one definition behind the /ops stuck page, the
 * operations alerts and the {@code jobs.stuck} gauge. {@link #tag()} is the value of the gauge's
 * {@code reason} tag.
 */
public enum StuckReason {
  /** PENDING longer than {@code jobs.stuck.pending-grace} after its due time, never started. */
  PENDING_OVERDUE("pending_overdue"),
  /** PROCESSING with no ledger write for longer than {@code jobs.stuck.processing-quiet}. */
  NO_PROGRESS("no_progress"),
  /** Its current activity is retrying: Temporal's pending activity at attempt 2 or later. */
  ACTIVITY_RETRYING("activity_retrying"),
  /**
   * At least {@code jobs.stuck.failing-type-count} jobs of one type FAILED within {@code
   * jobs.stuck.failing-type-window}: listed once for the type, not per job.
   */
  TYPE_FAILING("type_failing");

  private final String tag;

  StuckReason(String tag) {
    this.tag = tag;
  }

  public String tag() {
    return tag;
  }
}
