package com.marketplace.jobs.security.startup;

import java.util.stream.Collectors;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns {@link InsecureSettingsException} into Spring Boot's "APPLICATION FAILED TO START" report,
 * one line per setting, so an operator sees every problem at once instead of a stack trace.
 */
public class InsecureSettingsFailureAnalyzer
    extends AbstractFailureAnalyzer<InsecureSettingsException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, InsecureSettingsException cause) {
    String description =
        "The "
            + cause.application()
            + " runs without the dev profile, and these settings are not fit for production:\n\n"
            + cause.problems().stream()
                .map(problem -> "    - " + problem)
                .collect(Collectors.joining("\n"));
    String action =
        "Set each variable named above to a production value (docs/configuration.md, \"Production"
            + " settings\").\nOn a development machine only, run with the dev profile"
            + " (SPRING_PROFILES_ACTIVE=dev), as bin/run does.";
    return new FailureAnalysis(description, action, cause);
  }
}
