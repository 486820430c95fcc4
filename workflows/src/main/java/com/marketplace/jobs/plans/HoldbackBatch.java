package com.marketplace.jobs.plans;

/**
 * What {@code planLimitsApplyHoldbacks} did for one page of tenants.
 *
 * @param withdrawn held-back vehicles taken off the marketplace and out of search
 * @param restored released vehicles re-listed (where listable) and re-indexed
 */
public record HoldbackBatch(int withdrawn, int restored) {}
