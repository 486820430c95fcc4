package com.marketplace.jobs.plans;

/**
 * One limit of a tenant's plan and how much of it is used: the rule the check and the usage
 * endpoint share.
 *
 * @param used what the tenant has (published vehicles, active companies)
 * @param limit the plan's limit; a limit of 0 allows nothing, so it is reached at once
 */
public record LimitUsage(long used, long limit) {

  /** The share that warns the administrator. */
  public static final int WARNING_PERCENT = 80;

  /** Whole percent, rounded down (79.9% is 79). */
  public long percent() {
    return limit == 0 ? 100 : used * 100 / limit;
  }

  /** At {@value #WARNING_PERCENT}% or more (exactly, not by the rounded percent). */
  public boolean warning() {
    return used * 100 >= (long) WARNING_PERCENT * limit;
  }

  /** The limit is reached (used ≥ limit): nothing more may be added. */
  public boolean reached() {
    return used >= limit;
  }

  /** How many are beyond the limit (held back, for vehicles). */
  public long beyond() {
    return Math.max(0, used - limit);
  }
}
