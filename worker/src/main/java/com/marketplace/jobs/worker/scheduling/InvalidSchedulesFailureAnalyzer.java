package com.marketplace.jobs.worker.scheduling;

import java.util.stream.Collectors;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns {@link InvalidSchedulesException} into Spring Boot's "APPLICATION FAILED TO START" report,
 * one line per property, instead of a stack trace.
 */
public class InvalidSchedulesFailureAnalyzer
    extends AbstractFailureAnalyzer<InvalidSchedulesException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, InvalidSchedulesException cause) {
    String description =
        "The worker's schedules (jobs.schedules) cannot be applied, so it touched no schedule:\n\n"
            + cause.problems().stream()
                .map(problem -> "    - " + problem)
                .collect(Collectors.joining("\n"));
    String action =
        "Correct each property named above (docs/configuration.md, \"Schedules\"), then start the"
            + " worker again.";
    return new FailureAnalysis(description, action, cause);
  }
}
