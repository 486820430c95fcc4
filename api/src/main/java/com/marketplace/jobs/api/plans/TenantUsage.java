package com.marketplace.jobs.api.plans;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * A tenant's usage of its plan: {@code GET /api/tenants/{id}/usage}.
 *
 * @param limits by name ({@code publishedVehicles}, and {@code activeCompanies} when the plan
 *     limits companies), counted now
 * @param warning some limit at 80% or more, now
 * @param overLimit the tenant is marked over its limit by the latest daily check (some limit
 *     reached); what it holds back stays held back until a check finds it under again
 * @param overSince when the current episode over the limit began; null when not over
 * @param checkedAt when the daily check last measured the tenant; null: never
 * @param canPublish whether a vehicle may be published now (false at or over the vehicle limit)
 * @param canAddCompany whether a company may be added now (false at or over the company limit)
 * @param message what the platform can show the tenant, e.g. when it refuses a publication
 * @param heldBackVehicleIds the published vehicles held back from the marketplace and search
 */
public record TenantUsage(
    long tenantId,
    String plan,
    Map<String, Limit> limits,
    boolean warning,
    boolean overLimit,
    OffsetDateTime overSince,
    OffsetDateTime checkedAt,
    boolean canPublish,
    boolean canAddCompany,
    String message,
    List<Long> heldBackVehicleIds) {

  /**
   * One limit.
   *
   * @param percent whole percent used, rounded down
   * @param warning at 80% or more
   * @param reached used ≥ limit
   */
  public record Limit(long used, long limit, long percent, boolean warning, boolean reached) {}
}
