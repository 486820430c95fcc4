/**
 * Plan-limit checks. The {@code plan-limit-checks} schedule starts {@link
 * com.marketplace.jobs.plans.PlanLimitCheckWorkflow} daily; it pages through the tenants and, per
 * page: (1) measures each tenant's usage against its plan (published vehicles against {@code
 * vehicle_limit}, active companies against {@code company_limit}), records the figures and flags,
 * claims the published vehicles beyond the vehicle limit as holdbacks and releases those no longer
 * beyond it, and claims the emails owed (a warning at 80% once per calendar month, an over-limit
 * email once per episode, a lifted email when the episode ends); (2) takes new holdbacks off the
 * marketplace and out of search, and re-lists and re-indexes released ones; (3) emails the tenant
 * administrators. Every step is idempotent, so a run can be retried or repeated any time.
 */
package com.marketplace.jobs.plans;
