package com.marketplace.jobs.moderation;

import com.marketplace.jobs.notifications.CompanyNoticeRequest;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The steps of company bans and unbans, and their compensations; each takes one request record.
 * Every forward step records each row it changes in {@code moderation_changes} under the job id, in
 * the same transaction as the change, so it can be undone exactly; every step is idempotent under
 * that same key. Bulk steps work in batches (adaptive size, 50-100 by default), one short
 * transaction each, and heartbeat the last id done so a retried attempt resumes after it. Every
 * forward write checks that its run is not fenced ({@link #fence}).
 */
@ActivityInterface
public interface ModerationActivities {

  /** Counts what a ban of the company will change. Reads only. */
  @ActivityMethod
  ModerationScope countBanScope(CompanyStep step);

  /** Counts what reversing ban {@code step.banJobId()} will change. Reads only. */
  @ActivityMethod
  ModerationScope countUnbanScope(BanReversalStep step);

  /**
   * Sets the company's status to {@code to} if it is {@code from}. Idempotency key: the job id (a
   * second call finds the change recorded and does nothing). Undone by {@link #restoreCompany}.
   * Fails non-retryably (CONFLICT) if the company is in neither state.
   */
  @ActivityMethod
  void changeCompanyStatus(CompanyStatusChange change);

  /**
   * Unpublishes the company's published vehicles, in batches. Idempotency key: the job id. Undone
   * by {@link #restoreVehicles}.
   *
   * @return how many vehicles this job has unpublished
   */
  @ActivityMethod
  long unpublishVehicles(CompanyBatchStep step);

  /**
   * Deactivates the company's ACTIVE orders, in batches. Idempotency key: the job id. Undone by
   * {@link #restoreOrders}.
   *
   * @return how many orders this job has deactivated
   */
  @ActivityMethod
  long deactivateOrders(CompanyBatchStep step);

  /**
   * Republishes exactly the vehicles the ban unpublished and that are still unpublished.
   * Idempotency key: the job id. Undone by {@link #restoreVehicles}.
   */
  @ActivityMethod
  long republishVehicles(BanReversalStep step);

  /**
   * Reactivates exactly the orders the ban deactivated and that are still DEACTIVATED (an order
   * completed or cancelled since stays so). Idempotency key: the job id. Undone by {@link
   * #restoreOrders}.
   */
  @ActivityMethod
  long reactivateOrders(BanReversalStep step);

  /**
   * Removes from the search index the documents of the vehicles this job unpublished, 100 per bulk
   * request, recording each batch (SEARCH_DOCUMENT). Idempotent (removing a missing document is
   * fine). Undone by {@link #restoreSearch}.
   */
  @ActivityMethod
  long removeFromSearch(JobStep step);

  /**
   * Indexes the vehicles this job republished (documents built from their rows), recorded like
   * {@link #removeFromSearch}. Undone by {@link #restoreSearch}.
   */
  @ActivityMethod
  long addToSearch(JobStep step);

  /**
   * Compensation: undoes exactly the index changes this job recorded (re-indexes what it removed,
   * removes what it indexed). Idempotent.
   */
  @ActivityMethod
  void restoreSearch(JobStep step);

  /**
   * Withdraws, on the marketplace, the listings of the vehicles this job unpublished, 100 per call,
   * if the company is on the marketplace; each batch the marketplace accepted is recorded
   * (LISTING). Idempotency key per call: the job id, its run, the operation and the ids. Undone by
   * {@link #restoreListings}.
   *
   * @return how many vehicles' listings were withdrawn (0 for a company off the marketplace)
   */
  @ActivityMethod
  long withdrawListings(CompanyStep step);

  /**
   * Lists, on the marketplace, the vehicles this job republished, if the company is on the
   * marketplace; recorded like {@link #withdrawListings}. Undone by {@link #restoreListings}.
   */
  @ActivityMethod
  long listVehicles(CompanyStep step);

  /**
   * Compensation: undoes exactly the marketplace changes this job recorded (lists what it withdrew,
   * withdraws what it listed). Idempotent.
   */
  @ActivityMethod
  void restoreListings(CompanyStep step);

  /** Compensation: puts back the company status this job changed. Idempotent. */
  @ActivityMethod
  void restoreCompany(JobStep step);

  /** Compensation: puts back every vehicle this job changed, in batches. Idempotent. */
  @ActivityMethod
  void restoreVehicles(JobStep step);

  /** Compensation: puts back every order this job changed that is still as the job left it. */
  @ActivityMethod
  void restoreOrders(JobStep step);

  /**
   * Accepts the email to the company about this job as its own job (a {@code company_notice}
   * follow-up of this one, PENDING in the ledger, started by the relay), once the job's changes
   * have committed: an email is no saga step, so its failure never undoes them. Idempotency key:
   * the notice's job id, derived from this job's. Nothing undoes it.
   */
  @ActivityMethod
  void requestCompanyNotice(CompanyNoticeRequest notice);

  /**
   * The first step of a rollback: fences this run, so no forward step of it (a late attempt that
   * timed out and still runs) changes a row or calls an external system after the compensations
   * begin. Waits for such writes in flight to commit; they are recorded, so the compensations undo
   * them too. Idempotent; nothing undoes it (a reset runs as a new, unfenced run).
   */
  @ActivityMethod
  void fence(JobStep step);

  /**
   * How many of this job's recorded changes a rollback restored. Reads only. More than none on a
   * run that applies the job again after {@code temporal workflow reset} of a rolled-back run: the
   * workflow then applies its forward steps once more, so the job ends fully applied.
   */
  @ActivityMethod
  long restoredChanges(JobStep step);
}
