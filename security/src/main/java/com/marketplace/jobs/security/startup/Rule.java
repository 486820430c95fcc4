package com.marketplace.jobs.security.startup;

/** Why a setting stops a production start. */
public enum Rule {
  MISSING("missing"),
  DEVELOPMENT_DEFAULT("development default"),
  TOO_SHORT("too short"),
  MALFORMED("malformed"),
  OFF_OUTSIDE_DEV("off outside the dev profile");

  private final String label;

  Rule(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
