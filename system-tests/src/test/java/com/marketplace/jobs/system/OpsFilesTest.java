package com.marketplace.jobs.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The Grafana dashboard ({@code ops/grafana/background-jobs.json}) and the Prometheus alert rules
 * ({@code ops/prometheus/alerts.yml}) as Grafana and Prometheus load them: well-formed, in the
 * shape each expects, and using only metrics the service exports ({@link ExportedMetrics}, which
 * MetricsIT checks against the running apps). docs/operations.md#metrics documents exactly the
 * service's own metrics.
 */
class OpsFilesTest {

  private static final Path ROOT = SharedStack.projectRoot();
  private static final Set<String> ALLOWED = allowed();
  private static final Set<String> RULE_KEYS =
      Set.of("alert", "expr", "for", "keep_firing_for", "labels", "annotations");
  private static final Pattern DURATION = Pattern.compile("([0-9]+(ms|s|m|h|d|w|y))+");

  private static Set<String> allowed() {
    Set<String> names = new HashSet<>(ExportedMetrics.SERVICE);
    names.addAll(ExportedMetrics.ALERTS_CHECK);
    return names;
  }

  private static JsonNode dashboard() throws IOException {
    return new ObjectMapper().readTree(ROOT.resolve("ops/grafana/background-jobs.json").toFile());
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> rules() throws IOException {
    Map<String, Object> file =
        new Yaml().load(Files.readString(ROOT.resolve("ops/prometheus/alerts.yml")));
    assertThat(file).containsOnlyKeys("groups");
    List<Map<String, Object>> rules = new ArrayList<>();
    for (Map<String, Object> group : (List<Map<String, Object>>) file.get("groups")) {
      assertThat(group).containsOnlyKeys("name", "rules");
      assertThat((String) group.get("name")).isNotBlank();
      rules.addAll((List<Map<String, Object>>) group.get("rules"));
    }
    return rules;
  }

  private static List<JsonNode> panels(JsonNode dashboard) {
    List<JsonNode> panels = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      panels.add(panel);
      panel.path("panels").forEach(panels::add);
    }
    return panels;
  }

  @Test
  void theDashboardIsAGrafanaModelWithAPrometheusDatasourceVariable() throws IOException {
    JsonNode dashboard = dashboard();

    assertThat(dashboard.path("title").asText()).isEqualTo("Background jobs");
    assertThat(dashboard.path("uid").asText()).isEqualTo("background-jobs");
    assertThat(dashboard.path("schemaVersion").asInt()).isGreaterThanOrEqualTo(36);
    List<JsonNode> variables = new ArrayList<>();
    dashboard.path("templating").path("list").forEach(variables::add);
    assertThat(variables)
        .anySatisfy(
            variable -> {
              assertThat(variable.path("name").asText()).isEqualTo("datasource");
              assertThat(variable.path("type").asText()).isEqualTo("datasource");
              assertThat(variable.path("query").asText()).isEqualTo("prometheus");
            });
    Set<Integer> ids = new HashSet<>();
    for (JsonNode panel : panels(dashboard)) {
      assertThat(ids.add(panel.path("id").asInt())).as("unique id %s", panel.path("id")).isTrue();
      assertThat(panel.path("gridPos").path("w").asInt()).isBetween(1, 24);
      assertThat(panel.path("title").asText()).isNotBlank();
      if (panel.path("type").asText().equals("row")) {
        continue;
      }
      assertThat(panel.path("datasource").path("uid").asText())
          .as(panel.path("title").asText())
          .isEqualTo("${datasource}");
      assertThat(panel.path("targets")).as(panel.path("title").asText()).isNotEmpty();
      for (JsonNode target : panel.path("targets")) {
        assertThat(target.path("expr").asText()).isNotBlank();
        assertThat(target.path("refId").asText()).isNotBlank();
      }
    }
  }

  @Test
  void theDashboardShowsEveryBusinessFigureAndTheTemporalSdksOwn() throws IOException {
    Set<String> used = new TreeSet<>();
    for (JsonNode panel : panels(dashboard())) {
      panel
          .path("targets")
          .forEach(t -> used.addAll(ExportedMetrics.usedIn(t.path("expr").asText())));
    }

    assertThat(used)
        .contains(
            "jobs_accepted_total",
            "jobs_completed_total",
            "jobs_failed_total",
            "jobs_retried_total",
            "jobs_accept_to_start_seconds_bucket",
            "jobs_accept_to_finish_seconds_bucket",
            "jobs_schedule_lateness_seconds_bucket",
            "jobs_stuck",
            "jobs_alerts_sent_total",
            "temporal_workflow_task_schedule_to_start_latency_seconds_bucket",
            "temporal_activity_execution_failed_total");
  }

  @Test
  void everyMetricInTheDashboardIsOneTheServiceExports() throws IOException {
    for (JsonNode panel : panels(dashboard())) {
      for (JsonNode target : panel.path("targets")) {
        String expr = target.path("expr").asText();
        assertThat(ExportedMetrics.usedIn(expr))
            .as("panel '%s': %s", panel.path("title").asText(), expr)
            .isNotEmpty()
            .isSubsetOf(ALLOWED);
      }
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void theAlertRulesAreAPrometheusRuleFile() throws IOException {
    List<Map<String, Object>> rules = rules();

    assertThat(rules).isNotEmpty();
    Set<String> names = new HashSet<>();
    for (Map<String, Object> rule : rules) {
      String name = (String) rule.get("alert");
      assertThat(name).matches("[A-Z][A-Za-z0-9]+");
      assertThat(names.add(name)).as("unique alert %s", name).isTrue();
      assertThat(rule.keySet()).as(name).isSubsetOf(RULE_KEYS).contains("expr", "for");
      assertThat(String.valueOf(rule.get("for"))).as(name).matches(DURATION);
      Map<String, Object> labels = (Map<String, Object>) rule.get("labels");
      Map<String, Object> annotations = (Map<String, Object>) rule.get("annotations");
      assertThat(labels).as(name).containsKey("severity");
      assertThat(labels.get("severity")).as(name).isIn("warning", "critical");
      assertThat(annotations).as(name).containsKey("summary");
      assertThat(balanced((String) rule.get("expr"))).as(name).isTrue();
    }
  }

  @Test
  void everyMetricInTheAlertRulesIsOneTheServiceExports() throws IOException {
    Set<String> used = new TreeSet<>();
    for (Map<String, Object> rule : rules()) {
      Set<String> metrics = ExportedMetrics.usedIn((String) rule.get("expr"));
      assertThat(metrics).as((String) rule.get("alert")).isNotEmpty().isSubsetOf(ALLOWED);
      used.addAll(metrics);
    }

    assertThat(used).contains("jobs_failed_total", "jobs_stuck", "jobs_accepted_total");
  }

  @Test
  void theMetricsSectionOfTheOperationsGuideNamesExactlyTheServicesOwnMetrics() throws IOException {
    String guide = Files.readString(ROOT.resolve("docs/operations.md"));
    int start = guide.indexOf("\n## Metrics");
    assertThat(start).as("docs/operations.md has a Metrics section").isPositive();
    int end = guide.indexOf("\n## ", start + 1);
    String section = guide.substring(start, end < 0 ? guide.length() : end);
    Set<String> documented = new TreeSet<>();
    Matcher names = Pattern.compile("`(jobs_[a-z_]+)").matcher(section);
    while (names.find()) {
      documented.add(names.group(1));
    }
    Set<String> exported = new TreeSet<>();
    for (String name : ExportedMetrics.SERVICE) {
      if (name.startsWith("jobs_")) {
        exported.add(name.replaceAll("_(bucket|count|sum|max)$", ""));
      }
    }

    assertThat(documented).containsAll(exported);
    documented.removeAll(ExportedMetrics.ALERTS_CHECK);
    assertThat(exported).containsAll(documented);
  }

  @Test
  void metricNamesAreFoundInAnExpressionAndNothingElseIs() {
    assertThat(
            ExportedMetrics.usedIn(
                "histogram_quantile(0.95, sum by (le, type) (rate(jobs_a_bucket{type=~\"$type\","
                    + " outcome=\"x\"}[$__rate_interval]))) > 1e3 and on(type) jobs_b offset 5m"))
        .containsExactly("jobs_a_bucket", "jobs_b");
  }

  private static boolean balanced(String expr) {
    int depth = 0;
    for (char c : expr.toCharArray()) {
      depth += c == '(' ? 1 : c == ')' ? -1 : 0;
      if (depth < 0) {
        return false;
      }
    }
    return depth == 0;
  }
}
