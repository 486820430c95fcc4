package com.marketplace.jobs.retention;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The ledger's retention, in set-based batches. Method names are activity types and unique across
 * the worker.
 */
@ActivityInterface
public interface JobRetentionActivities {

  /**
   * Writes {@code job_daily_rollups} for the last {@code jobs.retention.recompute-days} UTC days
   * before today (upserts: recomputed from the ledger every run, since jobs of those days may still
   * finish or be retried), and fills in older days that still have ledger rows but no roll-up
   * (never overwriting an older roll-up, whose ledger rows may be gone). One transaction per day, a
   * heartbeat after each. Idempotent: the same ledger gives the same rows; nothing undoes it.
   *
   * @return the number of days written
   */
  @ActivityMethod
  int rollUpJobDays();

  /**
   * Deletes, in batches of {@code jobs.retention.batch-size} (one transaction each, a heartbeat
   * with the running count after each, until a batch finds none), the jobs that may go: COMPLETED
   * or CANCELLED, or FAILED and RESOLVED by a person, finished (and resolved) longer ago than
   * {@code jobs.retention.completed-after}, whose day has a roll-up, with no follow-up job left,
   * and not a ban or unban of a company that is banned now (a later unban reads them). With each
   * job go the records that belong only to it. Idempotent (a deleted job is not found again);
   * nothing undoes it.
   *
   * @return how many jobs it deleted
   */
  @ActivityMethod
  long deleteExpiredJobs();

  /**
   * Deletes roll-up rows of days older than {@code jobs.retention.rollups-kept}. Idempotent;
   * nothing undoes it.
   *
   * @return how many rows it deleted
   */
  @ActivityMethod
  long deleteExpiredJobRollups();
}
