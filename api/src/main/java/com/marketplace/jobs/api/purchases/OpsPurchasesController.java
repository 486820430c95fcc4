package com.marketplace.jobs.api.purchases;

import com.marketplace.jobs.api.ops.OpsRole;
import io.swagger.v3.oas.annotations.Hidden;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * {@code /ops/purchases}: the vehicle purchases flagged as pending too long (and still pending),
 * then the other pending ones, then the newest failed ones, each with what the provider last said,
 * and the count per status. For viewers and operators alike; nothing to act on here (a purchase
 * moves when the provider's answer does).
 */
@Hidden
@Controller
class OpsPurchasesController {

  /** Rows per table: the page is for looking, the API pages through the rest. */
  static final int ROWS = 200;

  private final PurchaseQueries purchases;

  OpsPurchasesController(PurchaseQueries purchases) {
    this.purchases = purchases;
  }

  @GetMapping("/ops/purchases")
  String purchases(Authentication user, Model model) {
    model.addAttribute("user", user.getName());
    model.addAttribute(
        "operator",
        user.getAuthorities().stream()
            .anyMatch(authority -> authority.getAuthority().equals(OpsRole.OPERATOR.authority())));
    model.addAttribute("counts", purchases.counts());
    model.addAttribute("stuck", purchases.list("PENDING", true, null, null, ROWS));
    model.addAttribute("pending", purchases.list("PENDING", false, null, null, ROWS));
    model.addAttribute("failed", purchases.list("FAILED", null, null, null, 50));
    return "ops/purchases";
  }
}
