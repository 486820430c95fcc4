package com.marketplace.jobs.api.jobs;

import com.marketplace.jobs.api.problems.ApiProblem;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The periods job counts are given for: jobs accepted within it, up to now. */
public enum StatsPeriod {
  HOUR("1h", Duration.ofHours(1)),
  DAY("24h", Duration.ofDays(1)),
  WEEK("7d", Duration.ofDays(7)),
  MONTH("30d", Duration.ofDays(30)),
  ALL("all", null);

  private final String label;
  private final Duration length;

  StatsPeriod(String label, Duration length) {
    this.label = label;
    this.length = length;
  }

  /** As in {@code ?period=24h}. */
  public String label() {
    return label;
  }

  /** Null for all time. */
  public Duration length() {
    return length;
  }

  /**
   * @throws ApiProblem 400 naming the periods there are
   */
  public static StatsPeriod of(String label) {
    if (label == null || label.isBlank()) {
      return ALL;
    }
    return Arrays.stream(values())
        .filter(period -> period.label.equals(label.strip()))
        .findFirst()
        .orElseThrow(
            () ->
                ApiProblem.badRequest(
                    "period must be one of "
                        + Arrays.stream(values())
                            .map(StatsPeriod::label)
                            .collect(Collectors.joining(", "))
                        + "."));
  }
}
