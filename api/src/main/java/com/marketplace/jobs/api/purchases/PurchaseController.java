package com.marketplace.jobs.api.purchases;

import com.marketplace.jobs.api.problems.ApiProblem;
import java.util.List;
import java.util.Locale;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Vehicle purchases and what the purchase-status checks found out about them. */
@RestController
@RequestMapping("/api/purchases")
class PurchaseController {

  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 500;

  private final PurchaseQueries purchases;

  PurchaseController(PurchaseQueries purchases) {
    this.purchases = purchases;
  }

  /**
   * @param status {@code PENDING}, {@code COMPLETED} or {@code FAILED} (any case); absent: all
   * @param flagged {@code true}: only purchases flagged as pending too long; {@code false}: only
   *     the others
   * @param companyId one company's purchases
   * @param limit 1-500, default 50
   * @param before the {@code nextBefore} of the previous page
   */
  @GetMapping
  PurchasePage list(
      @RequestParam(required = false) String status,
      @RequestParam(required = false) String flagged,
      @RequestParam(required = false) String companyId,
      @RequestParam(required = false) String limit,
      @RequestParam(required = false) String before) {
    String parsedStatus = status == null ? null : parseStatus(status);
    Boolean parsedFlagged = flagged == null ? null : parseFlag(flagged);
    Long company = companyId == null ? null : parseId(companyId, "companyId");
    Long beforeId = before == null ? null : parseId(before, "before");
    int pageSize = limit == null ? DEFAULT_LIMIT : parseLimit(limit);
    List<PurchaseView> page =
        purchases.list(parsedStatus, parsedFlagged, company, beforeId, pageSize);
    Long next = page.size() == pageSize ? page.get(page.size() - 1).id() : null;
    return new PurchasePage(page, next);
  }

  private static String parseStatus(String status) {
    String upper = status.strip().toUpperCase(Locale.ROOT);
    if (!PurchaseQueries.STATUSES.contains(upper)) {
      throw ApiProblem.badRequest(
          "status must be one of " + String.join(", ", PurchaseQueries.STATUSES) + ".");
    }
    return upper;
  }

  private static Boolean parseFlag(String flagged) {
    return switch (flagged.strip().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw ApiProblem.badRequest("flagged must be true or false.");
    };
  }

  private static long parseId(String value, String name) {
    try {
      long id = Long.parseLong(value.strip());
      if (id < 1) {
        throw new NumberFormatException();
      }
      return id;
    } catch (NumberFormatException e) {
      throw ApiProblem.badRequest(name + " must be a positive integer.");
    }
  }

  private static int parseLimit(String limit) {
    try {
      int size = Integer.parseInt(limit.strip());
      if (size >= 1 && size <= MAX_LIMIT) {
        return size;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ApiProblem.badRequest("limit must be between 1 and " + MAX_LIMIT + ".");
  }
}
