package com.marketplace.jobs.moderation;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The steps of a tenant's marketplace toggle and their compensations; each takes one request
 * record. Like the ban's steps, each records every row or listing it changes in {@code
 * moderation_changes} under the job id, works in batches, heartbeats its cursor, is idempotent
 * under the job id and checks its run's fence. Activity types are prefixed "MarketplaceToggle"
 * (e.g. MarketplaceToggleRestoreListings) so they never collide with the ban's.
 */
@ActivityInterface(namePrefix = "MarketplaceToggle")
public interface TenantMarketplaceActivities {

  /** Counts what a toggle of the tenant to {@code enabled} will change. Reads only. */
  @ActivityMethod
  ToggleScope countToggleScope(ToggleStep step);

  /**
   * Sets {@code marketplace_enabled} to {@code enabled} on the tenant's companies that differ, in
   * batches, recording each (COMPANY_MARKETPLACE). Undone by {@link #restoreCompanies}.
   *
   * @return how many companies this job has switched
   */
  @ActivityMethod
  long switchCompanies(ToggleStep step);

  /**
   * Sets {@code marketplace_enabled} on the tenant's vehicle models that differ, in batches,
   * recording each (MODEL_MARKETPLACE). Undone by {@link #restoreModels}.
   */
  @ActivityMethod
  long switchModels(ToggleStep step);

  /**
   * Lists ({@code enabled}) or withdraws the published vehicles of the active companies this job
   * switched, on the marketplace, 100 per call and company; each accepted call is recorded
   * (LISTING). Undone by {@link #restoreListings}.
   *
   * @return how many vehicles' listings this job has changed
   */
  @ActivityMethod
  long updateListings(ToggleStep step);

  /** Compensation: undoes exactly the marketplace changes this job recorded. Idempotent. */
  @ActivityMethod
  void restoreListings(JobStep step);

  /** Compensation: puts back the companies' flags this job switched. Idempotent. */
  @ActivityMethod
  void restoreCompanies(JobStep step);

  /** Compensation: puts back the vehicle models' flags this job switched. Idempotent. */
  @ActivityMethod
  void restoreModels(JobStep step);

  /** The rollback's first step, as {@link ModerationActivities#fence}. */
  @ActivityMethod
  void fence(JobStep step);

  /** As {@link ModerationActivities#restoredChanges}. Reads only. */
  @ActivityMethod
  long restoredChanges(JobStep step);
}
