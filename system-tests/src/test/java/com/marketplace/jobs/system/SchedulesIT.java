package com.marketplace.jobs.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.marketplace.jobs.devstack.AppProcess;
import io.temporal.api.workflowservice.v1.DescribeScheduleRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Temporal Schedules as configuration, on the real dev server: an extra worker process with its own
 * schedule tasks (given as SPRING_APPLICATION_JSON, over application.yaml's) creates them at start,
 * updates them when restarted with a changed configuration (keeping an operator's pause), deletes
 * the one no longer configured, never duplicates any, and leaves alone the schedule the stack's own
 * worker made. The extra worker runs as owner {@code schedules-it}, so the shared stack's schedules
 * (owner {@code background-jobs}, paused by the stack) are not its to change. Runs fire on their
 * own and by a trigger through the api, and the run log records each: scheduled time, start,
 * outcome.
 */
class SchedulesIT extends StackTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String OWNER = "schedules-it";
  private static final String RETENTION = "schedule-runs-retention";
  private static final String EVERY = "it-every-2s";
  private static final String NIGHTLY = "it-nightly";
  private static final String DROPPED = "it-dropped";
  private static final String WORKFLOW = "ScheduleRunsRetentionWorkflow";

  @Test
  void schedulesFollowTheConfigurationAndEveryRunIsLogged() throws Exception {
    Instant testStart = Instant.now().minusSeconds(5);
    // The stack's own worker made application.yaml's schedule at start, paused (the test stack).
    await()
        .atMost(Duration.ofMinutes(1))
        .until(() -> api.get("/api/schedules/" + RETENTION).status() == 200);
    JsonNode retention = schedule(RETENTION);
    assertThat(retention.path("managedBy").asText()).isEqualTo("background-jobs");
    assertThat(retention.path("paused").asBoolean()).isTrue();
    assertThat(retention.path("workflowType").asText()).isEqualTo(WORKFLOW);
    assertThat(retention.path("taskQueue").asText()).isEqualTo("background-jobs");
    assertThat(texts(retention.path("spec").path("cron"))).containsExactly("17 3 * * *");
    assertThat(retention.path("nextRunTimes").size()).isPositive();

    try {
      Map<String, Object> first = new LinkedHashMap<>();
      first.put(EVERY, task(Map.of("interval", "2s")));
      first.put(
          NIGHTLY,
          task(
              Map.of(
                  "cron",
                  List.of("0 2 * * *"),
                  "time-zone",
                  "Europe/Berlin",
                  "overlap",
                  "BUFFER_ONE",
                  "paused",
                  true)));
      first.put(DROPPED, task(Map.of("interval", "1h", "catchup-window", "10m")));
      runWorker("worker-schedules-1", first);

      JsonNode every = schedule(EVERY);
      assertThat(every.path("managedBy").asText()).isEqualTo(OWNER);
      assertThat(every.path("paused").asBoolean()).as("a new schedule starts unpaused").isFalse();
      assertThat(texts(every.path("spec").path("intervals"))).containsExactly("PT2S");
      assertThat(every.path("overlap").asText()).isEqualTo("SKIP");
      assertThat(every.path("catchupWindow").asText()).isEqualTo("PT1H");
      JsonNode nightly = schedule(NIGHTLY);
      assertThat(texts(nightly.path("spec").path("cron"))).containsExactly("0 2 * * *");
      assertThat(nightly.path("spec").path("timeZone").asText()).isEqualTo("Europe/Berlin");
      assertThat(nightly.path("overlap").asText()).isEqualTo("BUFFER_ONE");
      assertThat(nightly.path("paused").asBoolean()).isTrue();
      assertThat(schedule(DROPPED).path("catchupWindow").asText()).isEqualTo("PT10M");
      // application.yaml's schedule is the stack worker's: the extra worker left it as it was.
      assertThat(schedule(RETENTION)).isEqualTo(retention);
      // The memo that marks our schedules went through the encrypting data converter.
      var memo =
          temporalClient()
              .getWorkflowServiceStubs()
              .blockingStub()
              .describeSchedule(
                  DescribeScheduleRequest.newBuilder()
                      .setNamespace("default")
                      .setScheduleId(EVERY)
                      .build())
              .getMemo()
              .getFieldsOrThrow("managed-by");
      assertThat(memo.getMetadataOrThrow("encoding").toStringUtf8()).isEqualTo("binary/encrypted");

      // The schedule fires on its own; each run is in the run log and the ledger.
      JsonNode report = awaitRuns(EVERY, testStart, 2, false);
      assertThat(report.path("executed").asInt()).isGreaterThanOrEqualTo(2);
      assertThat(report.path("expected").asInt())
          .isGreaterThanOrEqualTo(report.path("executed").asInt());
      assertThat(report.path("lateness").path("p50Millis").isNumber()).isTrue();
      JsonNode run = firstFinished(report, false);
      Instant scheduledAt = Instant.parse(run.path("scheduledAt").asText());
      Instant startedAt = Instant.parse(run.path("startedAt").asText());
      assertThat(startedAt).isAfterOrEqualTo(scheduledAt);
      assertThat(run.path("latenessMillis").asLong())
          .isEqualTo(Duration.between(scheduledAt, startedAt).toMillis());
      assertThat(run.path("outcome").asText()).isEqualTo("COMPLETED");
      assertThat(run.path("workflowId").asText()).startsWith(EVERY + "-");
      JsonNode job = api.get("/api/jobs/" + run.path("jobId").asText()).json();
      assertThat(job.path("type").asText()).isEqualTo("schedule_runs_retention");
      assertThat(job.path("status").asText()).isEqualTo("COMPLETED");
      assertThat(job.path("workflowId").asText()).isEqualTo(run.path("workflowId").asText());
      assertThat(schedule(EVERY).path("lastRun").path("scheduledAt").isTextual()).isTrue();

      // An operator pauses it; the configuration changes; the worker restarts.
      cli(
          "schedule",
          "toggle",
          "--schedule-id",
          EVERY,
          "--pause",
          "--reason",
          "SchedulesIT: operator pause");
      Map<String, Object> second = new LinkedHashMap<>();
      second.put(EVERY, task(Map.of("interval", "3s", "overlap", "BUFFER_ALL")));
      second.put(
          NIGHTLY, task(Map.of("cron", List.of("30 4 * * 1-5", "@hourly"), "paused", false)));
      runWorker("worker-schedules-2", second);

      every = schedule(EVERY);
      assertThat(texts(every.path("spec").path("intervals"))).containsExactly("PT3S");
      assertThat(every.path("overlap").asText()).isEqualTo("BUFFER_ALL");
      assertThat(every.path("paused").asBoolean()).as("the operator's pause is kept").isTrue();
      assertThat(every.path("note").asText()).isEqualTo("SchedulesIT: operator pause");
      nightly = schedule(NIGHTLY);
      assertThat(texts(nightly.path("spec").path("cron")))
          .containsExactly("30 4 * * 1-5", "0 * * * *");
      assertThat(nightly.path("spec").path("timeZone").asText()).isEqualTo("UTC");
      assertThat(nightly.path("paused").asBoolean()).isFalse();
      assertThat(api.get("/api/schedules/" + DROPPED).status()).isEqualTo(404);
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(scheduleIds())
                      .as("no duplicates, the dropped one gone")
                      .containsOnlyOnce(EVERY, NIGHTLY, RETENTION)
                      .doesNotContain(DROPPED));
      assertThat(cli("schedule", "list")).doesNotContain(DROPPED);

      // A manual run through the api, though the schedule is paused.
      // The schedule is paused: the only run from here on is the trigger's.
      Instant beforeTrigger = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(1);
      JsonHttp.Response triggered = api.post("/api/schedules/" + EVERY + "/trigger", "");
      assertThat(triggered.status()).as(triggered.body()).isEqualTo(202);
      assertThat(triggered.json().path("scheduleId").asText()).isEqualTo(EVERY);
      assertThat(triggered.json().path("status").asText()).isEqualTo("TRIGGERED");
      JsonNode manual = awaitFinishedRunFrom(EVERY, beforeTrigger);
      Instant triggeredAt = Instant.parse(manual.path("scheduledAt").asText());
      assertThat(triggeredAt).isAfterOrEqualTo(beforeTrigger);
      assertThat(manual.path("outcome").asText()).isEqualTo("COMPLETED");
      assertThat(manual.path("workflowId").asText()).startsWith(EVERY + "-");
      // Temporal gives a triggered run the trigger's second as its scheduled time: manual unless
      // that second happens to be one of the schedule's own (every 3 s from the epoch).
      assertThat(manual.path("manual").asBoolean())
          .isEqualTo(triggeredAt.getEpochSecond() % 3 != 0);
      assertThat(
              api.get("/api/jobs/" + manual.path("jobId").asText()).json().path("status").asText())
          .isEqualTo("COMPLETED");

      JsonHttp.Response unknown = api.post("/api/schedules/no-such-schedule/trigger", "");
      assertThat(unknown.status()).isEqualTo(404);
      assertThat(unknown.header("Content-Type")).startsWith("application/problem+json");
      JsonHttp.Response badPeriod = api.get("/api/schedules/" + EVERY + "/runs?from=yesterday");
      assertThat(badPeriod.status()).isEqualTo(400);
      assertThat(badPeriod.json().path("errors").path(0).path("field").asText()).isEqualTo("from");
    } finally {
      for (String id : List.of(EVERY, NIGHTLY, DROPPED)) {
        if (api.get("/api/schedules/" + id).status() == 200) {
          cli("schedule", "delete", "--schedule-id", id);
        }
      }
    }
  }

  /** A task of the test's workflow type with these settings. */
  private static Map<String, Object> task(Map<String, Object> settings) {
    Map<String, Object> task = new LinkedHashMap<>(settings);
    task.put("workflow-type", WORKFLOW);
    return task;
  }

  /**
   * Starts an extra worker owning {@code tasks} (plus application.yaml's), waits until it is
   * healthy (so it has reconciled), and stops it again: the schedules stay, and the stack's worker
   * runs what they start.
   */
  private void runWorker(String name, Map<String, Object> tasks) throws Exception {
    Map<String, String> overrides = new LinkedHashMap<>();
    overrides.put("JOBS_SCHEDULES_OWNER", OWNER);
    overrides.put("JOBS_SCHEDULES_PAUSE_ALL", "false");
    overrides.put(
        "SPRING_APPLICATION_JSON",
        JSON.writeValueAsString(Map.of("jobs", Map.of("schedules", Map.of("tasks", tasks)))));
    try (AppProcess worker = stack.extraWorker(name, overrides)) {
      worker.start().awaitHealthy(Duration.ofMinutes(2));
      // Ready once its application runners ran, the reconciliation among them.
      await()
          .atMost(Duration.ofMinutes(1))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> worker.healthStatus("/actuator/health/readiness") == 200);
    }
  }

  private JsonNode schedule(String id) {
    JsonHttp.Response response = api.get("/api/schedules/" + id);
    assertThat(response.status()).as(id + ": " + response.body()).isEqualTo(200);
    return response.json();
  }

  private List<String> scheduleIds() {
    List<String> ids = new ArrayList<>();
    api.get("/api/schedules").json().forEach(s -> ids.add(s.path("id").asText()));
    return ids;
  }

  /** The run log from {@code from} once it has {@code count} finished runs of that kind. */
  private JsonNode awaitRuns(String id, Instant from, int count, boolean manual) {
    JsonNode[] report = new JsonNode[1];
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              report[0] = api.get("/api/schedules/" + id + "/runs?from=" + from).json();
              int finished = 0;
              for (JsonNode run : report[0].path("runs")) {
                if (run.path("manual").asBoolean() == manual
                    && run.path("outcome").asText().equals("COMPLETED")) {
                  finished++;
                }
              }
              return finished >= count;
            });
    return report[0];
  }

  /** The first run scheduled at or after {@code from}, once it has COMPLETED. */
  private JsonNode awaitFinishedRunFrom(String id, Instant from) {
    JsonNode[] run = new JsonNode[1];
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              run[0] =
                  api.get("/api/schedules/" + id + "/runs?from=" + from)
                      .json()
                      .path("runs")
                      .path(0);
              return run[0].path("outcome").asText().equals("COMPLETED");
            });
    return run[0];
  }

  private static JsonNode firstFinished(JsonNode report, boolean manual) {
    for (JsonNode run : report.path("runs")) {
      if (run.path("manual").asBoolean() == manual
          && run.path("outcome").asText().equals("COMPLETED")) {
        return run;
      }
    }
    throw new AssertionError("no finished run in " + report);
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(node -> texts.add(node.asText()));
    return texts;
  }
}
