package com.marketplace.jobs.moderation;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The steps of a tenant's marketplace toggle and their compensations. Like the ban's steps, each
 * records every row or listing it changes in {@code moderation_changes} under the job id, works in
 * batches, heartbeats its cursor, and is idempotent under the job id. Activity types are prefixed
 * "MarketplaceToggle" (e.g. MarketplaceToggleRestoreListings) so they never collide with the ban's.
 */
@ActivityInterface(namePrefix = "MarketplaceToggle")
public interface TenantMarketplaceActivities {

  /** Counts what a toggle of the tenant to {@code enabled} will change. Reads only. */
  @ActivityMethod
  ToggleScope countToggleScope(long tenantId, boolean enabled);

  /**
   * Sets {@code marketplace_enabled} to {@code enabled} on the tenant's companies that differ, in
   * batches, recording each (COMPANY_MARKETPLACE). Undone by {@link #restoreCompanies}.
   *
   * @return how many companies this job has switched
   */
  @ActivityMethod
  long switchCompanies(String jobId, long tenantId, boolean enabled, BatchProgress progress);

  /**
   * Sets {@code marketplace_enabled} on the tenant's vehicle models that differ, in batches,
   * recording each (MODEL_MARKETPLACE). Undone by {@link #restoreModels}.
   */
  @ActivityMethod
  long switchModels(String jobId, long tenantId, boolean enabled, BatchProgress progress);

  /**
   * Lists ({@code enabled}) or withdraws the published vehicles of the active companies this job
   * switched, on the marketplace, 100 per call and company; each accepted call is recorded
   * (LISTING). Undone by {@link #restoreListings}.
   *
   * @return how many vehicles' listings this job has changed
   */
  @ActivityMethod
  long updateListings(String jobId, boolean enabled, BatchProgress progress);

  /** Compensation: undoes exactly the marketplace changes this job recorded. Idempotent. */
  @ActivityMethod
  void restoreListings(String jobId);

  /** Compensation: puts back the companies' flags this job switched. Idempotent. */
  @ActivityMethod
  void restoreCompanies(String jobId);

  /** Compensation: puts back the vehicle models' flags this job switched. Idempotent. */
  @ActivityMethod
  void restoreModels(String jobId);

  /**
   * The first step of a rollback: fences this run, so no forward step of it (a late attempt that
   * timed out and still runs) changes a row or calls an external system after the compensations
   * begin. Waits for such writes in flight to commit; they are recorded, so the compensations undo
   * them too. Idempotent; nothing undoes it (a reset runs as a new, unfenced run).
   */
  @ActivityMethod
  void fence(String jobId);

  /**
   * How many of this job's recorded changes a rollback restored. Reads only. More than none on a
   * run that applies the job again after {@code temporal workflow reset} of a rolled-back run: the
   * workflow then applies its forward steps once more, so the job ends fully applied.
   */
  @ActivityMethod
  long restoredChanges(String jobId);
}
