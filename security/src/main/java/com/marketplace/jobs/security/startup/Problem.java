package com.marketplace.jobs.security.startup;

/**
 * One setting that stops a production start. Built only from the setting's name, its rule and a
 * description of the rule: never from the value, which may be a secret.
 *
 * @param property the Spring property, e.g. {@code jobs.codec.keys}
 * @param environmentVariable the variable operators set, e.g. {@code JOBS_PAYLOAD_KEYS}
 * @param rule which rule it breaks
 * @param detail what is expected, and which entry of a list breaks it (by position)
 */
public record Problem(String property, String environmentVariable, Rule rule, String detail) {

  @Override
  public String toString() {
    return "%s (%s): %s: %s".formatted(property, environmentVariable, rule.label(), detail);
  }
}
