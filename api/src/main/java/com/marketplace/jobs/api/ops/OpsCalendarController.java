package com.marketplace.jobs.api.ops;

import com.marketplace.jobs.api.calendar.CalendarConflicts;
import io.swagger.v3.oas.annotations.Hidden;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * {@code /ops/calendar}: the open calendar conflicts (a Google Calendar block overlapping an ACTIVE
 * order of the same vehicle), newest first, for a person to sort out with the company; the sync
 * clears one when its block or order changes. For viewers and operators alike.
 */
@Hidden
@Controller
class OpsCalendarController {

  static final int SHOWN = 200;

  private final CalendarConflicts conflicts;

  OpsCalendarController(CalendarConflicts conflicts) {
    this.conflicts = conflicts;
  }

  @GetMapping("/ops/calendar")
  String calendar(Authentication user, Model model) {
    model.addAttribute("user", user.getName());
    model.addAttribute(
        "operator",
        user.getAuthorities().stream()
            .anyMatch(authority -> authority.getAuthority().equals(OpsRole.OPERATOR.authority())));
    model.addAttribute("conflicts", conflicts.find(CalendarConflicts.Status.OPEN, null, SHOWN));
    model.addAttribute("shown", SHOWN);
    return "ops/calendar";
  }
}
