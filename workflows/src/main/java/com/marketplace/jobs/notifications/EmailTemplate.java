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
  WELCOME("welcome", List.of()),
  BIRTHDAY("birthday", List.of()),
  ORDER_CONFIRMATION("order_confirmation", List.of("orderId", "vehicleName"));

  private final String id;
  private final List<String> requiredParams;

  EmailTemplate(String id, List<String> requiredParams) {
    this.id = id;
    this.requiredParams = requiredParams;
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
}
