package com.marketplace.jobs.worker.scheduling;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a cron expression before Temporal sees it: the five classic fields (minute, hour, day of
 * month, month, day of week) with {@code *}, {@code ?}, numbers, month and weekday names, ranges,
 * lists and steps, or one of the macros {@code @yearly @annually @monthly @weekly @daily @midnight
 * @hourly}. Temporal understands a superset (seconds and year fields, {@code @every}, a {@code
 * CRON_TZ=} prefix); the configuration keeps to the classic form and says the rest with {@code
 * interval} and {@code time-zone}.
 */
final class CronExpressions {

  private static final Set<String> MACROS =
      Set.of("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly");

  private record Field(String name, int min, int max, List<String> names) {}

  private static final List<Field> FIELDS =
      List.of(
          new Field("minute", 0, 59, List.of()),
          new Field("hour", 0, 23, List.of()),
          new Field("day of month", 1, 31, List.of()),
          new Field(
              "month",
              1,
              12,
              List.of(
                  "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                  "dec")),
          // 0 and 7 are both Sunday.
          new Field("day of week", 0, 7, List.of("sun", "mon", "tue", "wed", "thu", "fri", "sat")));

  private CronExpressions() {}

  /** What is wrong with {@code expression}, or empty when Temporal will take it as meant. */
  static Optional<String> problem(String expression) {
    if (expression == null || expression.isBlank()) {
      return Optional.of("must not be blank");
    }
    String trimmed = expression.trim();
    if (trimmed.startsWith("@")) {
      return MACROS.contains(trimmed.toLowerCase(Locale.ROOT))
          ? Optional.empty()
          : Optional.of(
              "'"
                  + trimmed
                  + "' is not a cron macro (one of "
                  + String.join(" ", MACROS.stream().sorted().toList())
                  + "; use interval for @every)");
    }
    if (trimmed.toUpperCase(Locale.ROOT).startsWith("CRON_TZ=")
        || trimmed.toUpperCase(Locale.ROOT).startsWith("TZ=")) {
      return Optional.of("'" + trimmed + "': set the zone with time-zone, not in the expression");
    }
    String[] parts = trimmed.split("\\s+");
    if (parts.length != FIELDS.size()) {
      return Optional.of(
          "'"
              + trimmed
              + "' has "
              + parts.length
              + " fields; a cron expression has 5: minute hour day-of-month month day-of-week");
    }
    for (int i = 0; i < parts.length; i++) {
      Optional<String> problem = fieldProblem(parts[i], FIELDS.get(i));
      if (problem.isPresent()) {
        return Optional.of("'" + trimmed + "': " + problem.get());
      }
    }
    return Optional.empty();
  }

  private static Optional<String> fieldProblem(String text, Field field) {
    for (String item : text.split(",", -1)) {
      if (item.isEmpty()) {
        return Optional.of(field.name() + " has an empty list item");
      }
      String range = item;
      int slash = item.indexOf('/');
      if (slash >= 0) {
        range = item.substring(0, slash);
        String step = item.substring(slash + 1);
        if (!step.matches("\\d{1,3}") || Integer.parseInt(step) == 0) {
          return Optional.of(field.name() + " step '" + step + "' must be a positive number");
        }
      }
      if (range.equals("*") || range.equals("?")) {
        continue;
      }
      String[] ends = range.split("-", -1);
      if (ends.length > 2) {
        return Optional.of(field.name() + " '" + item + "' is not a value or a range");
      }
      Integer start = null;
      for (String end : ends) {
        Integer value = value(end, field);
        if (value == null) {
          return Optional.of(
              field.name()
                  + " '"
                  + end
                  + "' is not a number from "
                  + field.min()
                  + " to "
                  + field.max()
                  + (field.names().isEmpty()
                      ? ""
                      : " or a name (" + field.names().get(0) + ", …)"));
        }
        if (start != null && value < start) {
          return Optional.of(field.name() + " range '" + range + "' ends before it starts");
        }
        start = value;
      }
    }
    return Optional.empty();
  }

  private static Integer value(String text, Field field) {
    int named = field.names().indexOf(text.toLowerCase(Locale.ROOT));
    if (named >= 0) {
      // Months count from 1, weekdays from 0 (Sunday).
      return field.min() == 1 ? named + 1 : named;
    }
    if (!text.matches("\\d{1,2}")) {
      return null;
    }
    int value = Integer.parseInt(text);
    return value < field.min() || value > field.max() ? null : value;
  }
}
