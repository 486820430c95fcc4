package com.marketplace.jobs.api.plans;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * A tenant the latest daily check found at 80% or more of a limit, or over it: a row of {@code
 * /ops/tenants}.
 *
 * @param companyLimit null: the plan does not limit companies
 * @param heldBackVehicleIds the vehicles held back now (at most the first 50 in id order)
 * @param heldBackCount how many are held back in all
 */
public record FlaggedTenant(
    long tenantId,
    String name,
    String plan,
    int publishedVehicles,
    int vehicleLimit,
    int activeCompanies,
    Integer companyLimit,
    boolean overLimit,
    OffsetDateTime overSince,
    OffsetDateTime checkedAt,
    List<Long> heldBackVehicleIds,
    int heldBackCount) {

  public long vehiclePercent() {
    return vehicleLimit == 0 ? 100 : publishedVehicles * 100L / vehicleLimit;
  }
}
