package com.marketplace.jobs.api.plans;

import com.marketplace.jobs.api.ops.OpsRole;
import io.swagger.v3.oas.annotations.Hidden;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * {@code /ops/tenants}: the tenants the latest plan-limit check found at 80% or more of a limit or
 * over it, with the vehicles held back. For viewers and operators alike.
 */
@Hidden
@Controller
class OpsTenantsController {

  private final TenantUsages usages;

  OpsTenantsController(TenantUsages usages) {
    this.usages = usages;
  }

  @GetMapping("/ops/tenants")
  String tenants(Authentication user, Model model) {
    model.addAttribute("user", user.getName());
    model.addAttribute(
        "operator",
        user.getAuthorities().stream()
            .anyMatch(authority -> authority.getAuthority().equals(OpsRole.OPERATOR.authority())));
    model.addAttribute("tenants", usages.flagged());
    model.addAttribute("idsShown", TenantUsages.IDS_SHOWN);
    return "ops/tenants";
  }
}
