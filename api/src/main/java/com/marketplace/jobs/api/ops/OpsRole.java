package com.marketplace.jobs.api.ops;

import java.util.Locale;

/** What a person logged in to /ops may do. An operator may do everything a viewer may. */
public enum OpsRole {
  /** Reads the page: counts, stuck and failed jobs, reports. */
  VIEWER,
  /** Also retries and resolves jobs. */
  OPERATOR;

  /** The Spring Security role name, e.g. {@code ROLE_OPERATOR}. */
  public String authority() {
    return "ROLE_" + name();
  }

  /** The name used in configuration: {@code viewer}, {@code operator}. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
