package com.marketplace.jobs.security.startup;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown at start-up, outside the dev profile, when a secret or a security switch is unsafe. */
public class InsecureSettingsException extends RuntimeException {

  private final String application;
  private final transient List<Problem> problems;

  public InsecureSettingsException(String application, List<Problem> problems) {
    super(
        "The "
            + application
            + " refuses to start outside the dev profile: "
            + problems.stream().map(Problem::toString).collect(Collectors.joining("; ")));
    this.application = application;
    this.problems = List.copyOf(problems);
  }

  public String application() {
    return application;
  }

  public List<Problem> problems() {
    return problems;
  }
}
