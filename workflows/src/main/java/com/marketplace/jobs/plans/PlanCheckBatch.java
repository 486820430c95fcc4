package com.marketplace.jobs.plans;

/**
 * What {@code planLimitsCheckTenants} found for one page of tenants.
 *
 * @param checked tenants measured
 * @param warning of those, tenants at 80% or more of some limit
 * @param overLimit of those, tenants that reached some limit
 * @param heldBack vehicles newly held back by this call
 * @param released vehicles no longer beyond the limit, to be re-listed by this call
 */
public record PlanCheckBatch(int checked, int warning, int overLimit, int heldBack, int released) {}
