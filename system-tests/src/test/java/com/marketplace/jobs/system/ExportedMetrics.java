package com.marketplace.jobs.system;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Prometheus series the Grafana dashboard and the alert rules in {@code ops/} may use: those
 * the api and the worker export on /actuator/prometheus ({@link #SERVICE}, checked against the
 * running apps by MetricsIT) and those of the operations alerts check ({@link #ALERTS_CHECK}).
 * OpsFilesTest checks every metric in the ops files is one of them, so a renamed metric fails the
 * build.
 */
final class ExportedMetrics {

  /**
   * Exported by the api or the worker once the worker has run a job, a failed activity, a failed
   * local activity and a scheduled run (the Temporal SDK reports a counter from its first use).
   */
  static final Set<String> SERVICE =
      Set.of(
          "jobs_accepted_total",
          "jobs_started_total",
          "jobs_completed_total",
          "jobs_failed_total",
          "jobs_cancelled_total",
          "jobs_retried_total",
          "jobs_accept_to_start_seconds_bucket",
          "jobs_accept_to_start_seconds_count",
          "jobs_accept_to_start_seconds_sum",
          "jobs_accept_to_start_seconds_max",
          "jobs_accept_to_finish_seconds_bucket",
          "jobs_accept_to_finish_seconds_count",
          "jobs_accept_to_finish_seconds_sum",
          "jobs_accept_to_finish_seconds_max",
          "jobs_schedule_lateness_seconds_bucket",
          "jobs_schedule_lateness_seconds_count",
          "jobs_schedule_lateness_seconds_sum",
          "jobs_schedule_lateness_seconds_max",
          "jobs_ledger_reconciled_total",
          "temporal_workflow_task_schedule_to_start_latency_seconds_bucket",
          "temporal_activity_schedule_to_start_latency_seconds_bucket",
          "temporal_activity_execution_failed_total",
          "temporal_local_activity_execution_failed_total",
          "temporal_workflow_completed_total",
          "temporal_workflow_failed_total",
          "temporal_worker_task_slots_available");

  /**
   * The alerts check's metrics, exported by the worker once the {@code ops-alerts} schedule has run
   * (MetricsIT's stack keeps schedules paused, so it does not see them): {@code jobs.stuck} (gauge,
   * tag {@code reason}, {@code StuckJobsGauge}) and {@code jobs.alerts.sent} (counter, tags {@code
   * condition}, {@code channel}).
   */
  static final Set<String> ALERTS_CHECK = Set.of("jobs_stuck", "jobs_alerts_sent_total");

  private static final Pattern STRINGS = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
  private static final Pattern LABEL_MATCHERS = Pattern.compile("\\{[^}]*}");
  private static final Pattern RANGES = Pattern.compile("\\[[^]]*]");
  private static final Pattern GROUPING =
      Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
  private static final Pattern GRAFANA_VARIABLES = Pattern.compile("\\$\\w+");

  /** An identifier that is not a function call and not part of a number or a duration. */
  private static final Pattern IDENTIFIER =
      Pattern.compile("(?<![\\w.])[a-zA-Z_:][a-zA-Z0-9_:]*+(?!\\s*\\()");

  private static final Set<String> KEYWORDS =
      Set.of("and", "or", "unless", "bool", "offset", "inf", "nan", "Inf", "NaN");

  private ExportedMetrics() {}

  /** The metric names a PromQL expression (Prometheus rules, Grafana panels) selects. */
  static Set<String> usedIn(String expression) {
    String rest = STRINGS.matcher(expression).replaceAll("\"\"");
    rest = LABEL_MATCHERS.matcher(rest).replaceAll(" ");
    rest = RANGES.matcher(rest).replaceAll(" ");
    rest = GROUPING.matcher(rest).replaceAll(" ");
    rest = GRAFANA_VARIABLES.matcher(rest).replaceAll(" ");
    Set<String> names = new TreeSet<>();
    Matcher identifiers = IDENTIFIER.matcher(rest);
    while (identifiers.find()) {
      if (!KEYWORDS.contains(identifiers.group())) {
        names.add(identifiers.group());
      }
    }
    return names;
  }
}
