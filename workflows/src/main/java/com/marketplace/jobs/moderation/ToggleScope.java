package com.marketplace.jobs.moderation;

/**
 * What a marketplace toggle of a tenant will change, counted before it starts: companies and
 * vehicle models whose flag differs from the one asked for, and the published vehicles of those
 * companies whose listings will change.
 */
public record ToggleScope(long companies, long models, long vehicles) {

  public long total() {
    return companies + models + vehicles;
  }
}
