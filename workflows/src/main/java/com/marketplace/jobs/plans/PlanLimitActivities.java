package com.marketplace.jobs.plans;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.List;

/** The plan-limit checks' steps (see {@link PlanLimitCheckWorkflow}). */
@ActivityInterface
public interface PlanLimitActivities {

  /** The ids of the tenants above {@code afterTenantId}, in id order, at most {@code limit}. */
  @ActivityMethod
  List<Long> planLimitsTenantPage(long afterTenantId, int limit);

  /**
   * Measures each tenant and records what it found, one transaction per tenant: its figures and
   * flags ({@code tenant_limit_states}), its holdbacks (the published vehicles after the first
   * {@code vehicle_limit} in id order are claimed in {@code plan_holdbacks}; those no longer beyond
   * it are marked released) and the emails owed (touchpoints). Idempotent: a repeat finds the same
   * figures and claims nothing twice (holdbacks by vehicle id, emails by their touchpoint key).
   * Nothing external is called; what this records is applied by {@link #planLimitsApplyHoldbacks}.
   */
  @ActivityMethod
  PlanCheckBatch planLimitsCheckTenants(List<Long> tenantIds);

  /**
   * Takes the tenants' held-back vehicles not yet taken off the marketplace and out of search off
   * both, and re-lists (where the vehicle may be listed: published, its company active and on the
   * marketplace, not taken down by the marketplace itself) and re-indexes released ones, then
   * deletes their holdbacks. Idempotency key of each marketplace call: the workflow run, the
   * operation, the company and the batch's ids; the calls themselves are idempotent at Billion and
   * in search, and each batch is recorded after both accepted it, so a retry redoes at most one
   * batch. Undone by the next check once the tenant is back under its limit.
   */
  @ActivityMethod
  HoldbackBatch planLimitsApplyHoldbacks(List<Long> tenantIds);

  /**
   * Emails the tenants' administrators the plan-limit emails claimed and not yet sent. Idempotency
   * key: the touchpoint id (the send is keyed by it, so a retry finds the accepted message). A
   * tenant without an administrator address gets its email recorded as not sendable (FAILED), as
   * does one Mailgun refuses for good; temporary Mailgun failures fail the call (retried).
   *
   * @return emails handed to Mailgun
   */
  @ActivityMethod
  int planLimitsSendNotices(List<Long> tenantIds);
}
