package com.marketplace.jobs.api.plans;

import com.marketplace.jobs.api.problems.ApiProblem;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/tenants/{tenantId}/usage}: a tenant's usage of its plan, the flags, and the
 * message the platform shows when it refuses a publication. A read like {@code GET /api/jobs}.
 */
@RestController
class TenantUsageController {

  private final TenantUsages usages;

  TenantUsageController(TenantUsages usages) {
    this.usages = usages;
  }

  @GetMapping("/api/tenants/{tenantId}/usage")
  TenantUsage usage(@PathVariable String tenantId) {
    long id;
    try {
      id = Long.parseLong(tenantId);
    } catch (NumberFormatException notANumber) {
      throw ApiProblem.badRequest("tenantId must be a number (a tenant id).");
    }
    return usages.find(id).orElseThrow(() -> ApiProblem.notFound("No tenant with id " + id + "."));
  }
}
