package com.marketplace.jobs.plans;

/**
 * What one run of the plan-limit checks did.
 *
 * @param checked tenants measured
 * @param warning tenants at 80% or more of some limit
 * @param overLimit tenants that reached some limit
 * @param heldBack vehicles newly held back
 * @param released vehicles released (back under the limit) and restored
 * @param emails emails handed to Mailgun (warnings, over-limit and lifted notices)
 */
public record PlanLimitRun(
    int checked, int warning, int overLimit, int heldBack, int released, int emails) {}
