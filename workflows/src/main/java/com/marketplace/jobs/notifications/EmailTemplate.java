package com.marketplace.jobs.notifications;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The email templates the service can send, and the parameters each needs beyond the customer's own
 * data. The api refuses a request for an unknown template or with a missing parameter before
 * anything is accepted; the worker renders the matching files under {@code templates/email/}.
 */
public enum EmailTemplate {
  WELCOME("welcome", Audience.CUSTOMER, List.of()),
  BIRTHDAY("birthday", Audience.CUSTOMER, List.of()),
  ORDER_CONFIRMATION("order_confirmation", Audience.CUSTOMER, List.of("orderId", "vehicleName")),
  COMPANY_BANNED("company_banned", Audience.COMPANY, List.of("reason")),
  COMPANY_UNBANNED("company_unbanned", Audience.COMPANY, List.of()),
  VEHICLE_REMINDER(
      "vehicle_reminder", Audience.COMPANY, List.of("vehicleName", "dueKind", "dueDate")),
  PAYMENT_ALERT(
      "payment_alert",
      Audience.FINANCE,
      List.of("jobId", "eventId", "eventType", "errorType", "errorMessage")),
  OPS_ALERT("ops_alert", Audience.OPERATIONS, List.of("title", "condition", "reason", "link")),
  PURCHASE_STUCK(
      "purchase_stuck",
      Audience.COMPANY,
      List.of("vehicleName", "providerReference", "requestedOn", "pendingDays")),
  PLAN_LIMIT_WARNING("plan_limit_warning", Audience.TENANT_ADMIN, List.of("tenantName", "limits")),
  PLAN_LIMIT_REACHED(
      "plan_limit_reached", Audience.TENANT_ADMIN, List.of("tenantName", "limits", "heldBack")),
  PLAN_LIMIT_LIFTED("plan_limit_lifted", Audience.TENANT_ADMIN, List.of("tenantName", "limits"));

  /**
   * Who a template is written for: customers get it through the API, companies from sagas and the
   * vehicle reminders, the finance contact from payment jobs whose retries all failed, the
   * operations address from the operations alerts, a tenant's administrator from the plan-limit
   * checks.
   */
  public enum Audience {
    CUSTOMER,
    COMPANY,
    FINANCE,
    OPERATIONS,
    TENANT_ADMIN
  }

  private final String id;
  private final Audience audience;
  private final List<String> requiredParams;

  EmailTemplate(String id, Audience audience, List<String> requiredParams) {
    this.id = id;
    this.audience = audience;
    this.requiredParams = requiredParams;
  }

  public Audience audience() {
    return audience;
  }

  public String id() {
    return id;
  }

  public List<String> requiredParams() {
    return requiredParams;
  }

  /** The required parameters absent or blank in {@code params}, in declaration order. */
  public List<String> missingParams(Map<String, String> params) {
    return requiredParams.stream()
        .filter(name -> params == null || params.get(name) == null || params.get(name).isBlank())
        .toList();
  }

  public static Optional<EmailTemplate> byId(String id) {
    for (EmailTemplate template : values()) {
      if (template.id.equals(id)) {
        return Optional.of(template);
      }
    }
    return Optional.empty();
  }

  /** The templates written for {@code audience}, in declaration order. */
  public static List<EmailTemplate> forAudience(Audience audience) {
    return java.util.Arrays.stream(values()).filter(t -> t.audience == audience).toList();
  }
}
