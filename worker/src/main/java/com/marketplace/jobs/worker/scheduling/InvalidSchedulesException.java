package com.marketplace.jobs.worker.scheduling;

import java.util.List;

/**
 * The schedules' configuration cannot be applied: each problem names its property ({@code
 * jobs.schedules.tasks.birthday-reminders.cron[0]: …}). Thrown at start, before the worker touches
 * Temporal; {@link InvalidSchedulesFailureAnalyzer} prints the list.
 */
public class InvalidSchedulesException extends RuntimeException {

  private final transient List<String> problems;

  public InvalidSchedulesException(List<String> problems) {
    super("Invalid schedules configuration: " + String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
