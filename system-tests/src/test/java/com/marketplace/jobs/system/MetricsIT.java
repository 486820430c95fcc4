package com.marketplace.jobs.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.marketplace.jobs.devstack.LocalStack;
import com.marketplace.jobs.security.tokens.TriggerToken;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The business metrics as Prometheus scrapes them from the running apps' /actuator/prometheus (the
 * api's with a {@code jobs:read} token): a notification job counts accepted on the api and started,
 * completed and its accept-to-start and accept-to-finish times on the worker, each once; a failed
 * job retried through the API counts failed, retried and then completed; and every metric the
 * Grafana dashboard and the alert rules use ({@link ExportedMetrics#SERVICE}) is exported,
 * including the Temporal SDK's own.
 */
class MetricsIT extends StackTest {

  private static final Map<String, String> NOTIFICATION =
      Map.of("type", "notification", "priority", "customer_facing");
  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)");
  private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  /** One scrape: every sample, as name, labels and value. */
  record Scrape(String text) {

    /** The sum of the samples of {@code name} whose labels include {@code labels}. */
    double value(String name, Map<String, String> labels) {
      double sum = 0;
      for (String line : text.split("\n")) {
        Matcher sample = SAMPLE.matcher(line);
        if (!sample.find() || !sample.group(1).equals(name)) {
          continue;
        }
        Map<String, String> found = new HashMap<>();
        Matcher label = LABEL.matcher(sample.group(2) == null ? "" : sample.group(2));
        while (label.find()) {
          found.put(label.group(1), label.group(2));
        }
        if (found.entrySet().containsAll(labels.entrySet())) {
          sum += Double.parseDouble(sample.group(3));
        }
      }
      return sum;
    }

    Set<String> names() {
      Set<String> names = new TreeSet<>();
      for (String line : text.split("\n")) {
        Matcher sample = SAMPLE.matcher(line);
        if (!line.startsWith("#") && sample.find()) {
          names.add(sample.group(1));
        }
      }
      return names;
    }
  }

  private Scrape api() {
    String read =
        TriggerToken.of(TriggerToken.READ, Duration.ofMinutes(1))
            .signedWith(LocalStack.TOKEN_KEYS.get(0));
    JsonHttp.Response response =
        new JsonHttp(stack.api().url())
            .get("/actuator/prometheus", Map.of("Authorization", "Bearer " + read));
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return new Scrape(response.body());
  }

  private Scrape worker() {
    JsonHttp.Response response = new JsonHttp(stack.worker().url()).get("/actuator/prometheus");
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return new Scrape(response.body());
  }

  private static Map<String, String> with(Map<String, String> labels, String key, String value) {
    Map<String, String> all = new HashMap<>(labels);
    all.put(key, value);
    return all;
  }

  @Test
  void aNotificationJobCountsOnceAcceptedOnTheApiAndStartedAndCompletedOnTheWorker() {
    Scrape apiBefore = api();
    Scrape workerBefore = worker();
    String body = uniqueWelcome(1);

    String jobId = api.post("/api/notifications", body).json().path("jobId").asText();
    String again = api.post("/api/notifications", body).json().path("jobId").asText();
    JsonNode job = awaitFinished(jobId, Duration.ofSeconds(60));

    assertThat(again).as("the same content is the same job").isEqualTo(jobId);
    assertThat(job.path("status").asText()).isEqualTo("COMPLETED");
    Scrape apiAfter = api();
    Scrape workerAfter = worker();
    assertThat(
            apiAfter.value("jobs_accepted_total", NOTIFICATION)
                - apiBefore.value("jobs_accepted_total", NOTIFICATION))
        .isEqualTo(1);
    for (String counter : new String[] {"jobs_started_total", "jobs_completed_total"}) {
      assertThat(
              workerAfter.value(counter, NOTIFICATION) - workerBefore.value(counter, NOTIFICATION))
          .as(counter)
          .isEqualTo(1);
    }
    assertThat(
            workerAfter.value("jobs_accept_to_start_seconds_count", NOTIFICATION)
                - workerBefore.value("jobs_accept_to_start_seconds_count", NOTIFICATION))
        .isEqualTo(1);
    Map<String, String> completed = with(NOTIFICATION, "outcome", "completed");
    assertThat(
            workerAfter.value("jobs_accept_to_finish_seconds_count", completed)
                - workerBefore.value("jobs_accept_to_finish_seconds_count", completed))
        .isEqualTo(1);
    // The job took less than 60 s: the +Inf bucket and the 60 s bucket both hold it.
    Map<String, String> withinAMinute = with(completed, "le", "60.0");
    assertThat(
            workerAfter.value("jobs_accept_to_finish_seconds_bucket", withinAMinute)
                - workerBefore.value("jobs_accept_to_finish_seconds_bucket", withinAMinute))
        .isEqualTo(1);
  }

  @Test
  void aFailedJobRetriedThroughTheApiCountsFailedRetriedAndThenCompleted() {
    Scrape apiBefore = api();
    Scrape workerBefore = worker();
    stack.mail().failNext(1, 400);

    String jobId = api.post("/api/notifications", uniqueWelcome(1)).json().path("jobId").asText();
    assertThat(awaitFinished(jobId, Duration.ofSeconds(60)).path("status").asText())
        .isEqualTo("FAILED");
    Scrape workerFailed = worker();
    assertThat(
            workerFailed.value("jobs_failed_total", NOTIFICATION)
                - workerBefore.value("jobs_failed_total", NOTIFICATION))
        .isEqualTo(1);
    JsonHttp.Response retried = api.post("/api/jobs/" + jobId + "/retry", "");
    assertThat(retried.status()).as(retried.body()).isEqualTo(202);
    JsonNode job = awaitFinished(jobId, Duration.ofSeconds(60));

    assertThat(job.path("status").asText()).isEqualTo("COMPLETED");
    assertThat(job.path("resolution").asText()).isEqualTo("RETRIED");
    assertThat(
            api().value("jobs_retried_total", NOTIFICATION)
                - apiBefore.value("jobs_retried_total", NOTIFICATION))
        .isEqualTo(1);
    Scrape workerAfter = worker();
    assertThat(
            workerAfter.value("jobs_completed_total", NOTIFICATION)
                - workerBefore.value("jobs_completed_total", NOTIFICATION))
        .isEqualTo(1);
    assertThat(
            workerAfter.value("jobs_retried_total", NOTIFICATION)
                - workerBefore.value("jobs_retried_total", NOTIFICATION))
        .as("counted once, by the api")
        .isZero();
    assertThat(
            workerAfter.value("jobs_started_total", NOTIFICATION)
                - workerBefore.value("jobs_started_total", NOTIFICATION))
        .as("a job starts once")
        .isEqualTo(1);
  }

  @Test
  void everyMetricTheDashboardAndTheAlertRulesUseIsExportedTemporalsIncluded() {
    // What some of them need first: a failed local activity (a notification's send refused), a
    // failed activity (a payment's first capture answered 500, then captured), a scheduled run.
    Map<String, String> payment = Map.of("type", "payment_event", "priority", "payment");
    double paymentsBefore = api().value("jobs_accepted_total", payment);
    stack.mail().failNext(1, 400);
    String failing = api.post("/api/notifications", uniqueWelcome(1)).json().path("jobId").asText();
    assertThat(awaitFinished(failing, Duration.ofSeconds(60)).path("status").asText())
        .isEqualTo("FAILED");
    long orderId = 960_000 + ThreadLocalRandom.current().nextInt(10_000);
    sql.update(
        "INSERT INTO orders (id, company_id, vehicle_id, status) VALUES (?, 102, 200001, 'ACTIVE')",
        orderId);
    String pi = "pi_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
    String event =
        StripeWebhooks.intentEvent(
            "evt_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24),
            "payment_intent.amount_capturable_updated",
            pi,
            orderId);
    stack.stripe().reset();
    stack.stripe().failNext(1, 500);
    JsonHttp.Response delivered =
        api.post(
            "/webhooks/stripe",
            event,
            Map.of(
                "Stripe-Signature",
                StripeWebhooks.signedNow(LocalStack.STRIPE_WEBHOOK_SECRETS.get(0), event)));
    assertThat(delivered.status()).as(delivered.body()).isEqualTo(200);
    JsonNode paid = awaitFinished(delivered.json().path("jobId").asText(), Duration.ofSeconds(90));
    stack.stripe().reset();
    assertThat(paid.path("status").asText()).isEqualTo("COMPLETED");
    assertThat(api().value("jobs_accepted_total", payment) - paymentsBefore)
        .as("a webhook's job is accepted through the same intake")
        .isEqualTo(1);
    JsonHttp.Response triggered = api.post("/api/schedules/schedule-runs-retention/trigger", "");
    assertThat(triggered.status()).as(triggered.body()).isEqualTo(202);

    Set<String> exported = new TreeSet<>();
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofSeconds(2))
        .untilAsserted(
            () -> {
              exported.clear();
              exported.addAll(api().names());
              exported.addAll(worker().names());
              assertThat(exported).containsAll(ExportedMetrics.SERVICE);
            });
    assertThat(
            worker()
                .value(
                    "jobs_schedule_lateness_seconds_count",
                    Map.of("schedule", "schedule-runs-retention")))
        .isGreaterThanOrEqualTo(1);
  }
}
