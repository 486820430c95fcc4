package com.marketplace.jobs.api.ops;

import com.marketplace.jobs.ledger.StuckJob;
import com.marketplace.jobs.ledger.StuckJobs;
import io.swagger.v3.oas.annotations.Hidden;
import java.util.List;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * {@code /ops/stuck}: the jobs stuck now and the job types failing repeatedly, by the rules the
 * operations alerts use ({@link StuckJobs}), each row saying why it is listed and linking to the
 * job's page (a failing type, to its failed jobs). For viewers and operators alike.
 */
@Hidden
@Controller
class OpsStuckController {

  private final StuckJobs stuckJobs;

  OpsStuckController(StuckJobs stuckJobs) {
    this.stuckJobs = stuckJobs;
  }

  @GetMapping("/ops/stuck")
  String stuck(Authentication user, Model model) {
    List<StuckJob> stuck = stuckJobs.find();
    model.addAttribute("user", user.getName());
    model.addAttribute(
        "operator",
        user.getAuthorities().stream()
            .anyMatch(authority -> authority.getAuthority().equals(OpsRole.OPERATOR.authority())));
    model.addAttribute("stuck", stuck);
    model.addAttribute("rules", stuckJobs.properties());
    return "ops/stuck";
  }
}
