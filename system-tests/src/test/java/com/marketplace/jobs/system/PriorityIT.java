package com.marketplace.jobs.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.marketplace.jobs.devstack.AppProcess;
import com.marketplace.jobs.devstack.LocalStack;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Priority tiers on a saturated worker: payment jobs first, customer-facing notifications next,
 * internal work last, both where the relay starts pending jobs and where the Temporal server hands
 * queued work to a worker. Internal jobs here are marketplace toggles of 200 small tenants. (The
 * relay's own order, also across a Temporal outage, is WorkflowStartRelayTest's.)
 */
class PriorityIT extends StackTest {

  private static final long FIRST_TENANT = 5001;
  private static final int INTERNAL = 200;
  private static final int NOTIFICATIONS = 50;

  private final Instant testStart = Instant.now();

  @BeforeEach
  void seedSmallTenants() {
    sql.update(
        "INSERT INTO tenants (id, name, plan, vehicle_limit)"
            + " SELECT ? + n, 'Priority tenant ' || n, 'basic', 10 FROM generate_series(0, ? - 1) n",
        FIRST_TENANT,
        INTERNAL);
    sql.update(
        "INSERT INTO companies (id, tenant_id, name, email)"
            + " SELECT (? + n) * 10, ? + n, 'Priority company ' || n, 'p' || n || '@prio.example'"
            + " FROM generate_series(0, ? - 1) n",
        FIRST_TENANT,
        FIRST_TENANT,
        INTERNAL);
  }

  @AfterEach
  void removeSmallTenants() {
    sql.update(
        "DELETE FROM moderation_changes WHERE job_id IN"
            + " (SELECT id FROM jobs WHERE tenant_id BETWEEN ? AND ?)",
        FIRST_TENANT,
        FIRST_TENANT + INTERNAL);
    sql.update(
        "DELETE FROM companies WHERE tenant_id BETWEEN ? AND ?",
        FIRST_TENANT,
        FIRST_TENANT + INTERNAL);
    sql.update(
        "DELETE FROM tenants WHERE id BETWEEN ? AND ?", FIRST_TENANT, FIRST_TENANT + INTERNAL);
  }

  @Test
  void onASaturatedWorkerAPaymentAcceptedLastStartsFirstAndNotificationsBeforeInternalWork() {
    List<String> internal = new ArrayList<>();
    List<String> notifications = new ArrayList<>();
    String payment;
    stack.worker().stop();
    AppProcess limited =
        stack.extraWorker(
            "worker-limited",
            Map.of(
                "WORKER_MAX_WORKFLOW_TASKS", "2",
                "WORKER_MAX_ACTIVITIES", "1",
                "WORKER_MAX_LOCAL_ACTIVITIES", "1",
                "WORKER_WORKFLOW_POLLERS", "2",
                "WORKER_ACTIVITY_POLLERS", "1"));
    try {
      // With no worker up, the api's relay starts every job; its tasks wait on the task queue.
      internal.addAll(toggles());
      notifications.addAll(notifications());
      awaitAllWorkflowsStarted();
      payment = acceptPayment();
      awaitAllWorkflowsStarted();

      limited.start().awaitHealthy(Duration.ofMinutes(2));
      awaitNoneUnfinished(Duration.ofMinutes(5));
    } finally {
      limited.stop();
      stack.worker().start().awaitHealthy(Duration.ofMinutes(2));
    }

    // "Started" is the job's first activity attempt; the payment's and the notifications' first
    // ones run inside their first workflow task, which the server hands out by priority. The
    // worker runs two workflow tasks at a time, so one notification may start beside the payment.
    Instant paymentStarted = started(payment);
    String order = startOrder(payment, notifications, internal);
    long notificationsBeforePayment =
        notifications.stream().map(this::started).filter(t -> t.isBefore(paymentStarted)).count();
    long internalBeforePayment =
        internal.stream().map(this::started).filter(t -> t.isBefore(paymentStarted)).count();
    assertThat(notificationsBeforePayment)
        .as("notifications started before the payment, in %s", order)
        .isLessThanOrEqualTo(2);
    assertThat(internalBeforePayment)
        .as("internal jobs started before the payment, in %s", order)
        .isZero();
    Instant lastNotification =
        notifications.stream().map(this::started).max(Instant::compareTo).orElseThrow();
    // The worker runs two workflow tasks at a time: at most that many internal jobs may start
    // alongside the last notifications.
    long internalBeforeLastNotification =
        internal.stream().map(this::started).filter(t -> t.isBefore(lastNotification)).count();
    assertThat(internalBeforeLastNotification)
        .as("internal jobs started before the last notification, in %s", order)
        .isLessThanOrEqualTo(2);
    for (String job : internal) {
      assertThat(jobRow(job).get("status")).isEqualTo("COMPLETED");
    }
  }

  /** The jobs in the order they started: P payment, N notification, I internal. */
  private String startOrder(String payment, List<String> notifications, List<String> internal) {
    java.util.TreeMap<Instant, String> byStart = new java.util.TreeMap<>();
    byStart.put(started(payment), "P");
    notifications.forEach(job -> byStart.put(started(job), "N"));
    internal.forEach(job -> byStart.put(started(job), "I"));
    return String.join("", byStart.values());
  }

  private List<String> toggles() {
    List<String> jobs = new ArrayList<>();
    for (int i = 0; i < INTERNAL; i++) {
      jobs.add(toggle(FIRST_TENANT + i));
    }
    return jobs;
  }

  private String toggle(long tenant) {
    JsonHttp.Response response =
        api.post("/api/tenants/" + tenant + "/marketplace", "{\"enabled\": true}");
    assertThat(response.status()).as(response.body()).isEqualTo(202);
    return response.json().path("jobId").asText();
  }

  private List<String> notifications() {
    List<String> jobs = new ArrayList<>();
    for (int i = 0; i < NOTIFICATIONS; i++) {
      JsonHttp.Response response = api.post("/api/notifications", uniqueWelcome(4));
      assertThat(response.status()).isEqualTo(202);
      jobs.add(response.json().path("jobId").asText());
    }
    return jobs;
  }

  /** A signed Stripe payment_intent.succeeded for demo order 200001, as Stripe would send it. */
  private String acceptPayment() {
    String eventId = "evt_priority_" + UUID.randomUUID().toString().replace("-", "");
    String body =
        StripeWebhooks.intentEvent(
            eventId, "payment_intent.succeeded", "pi_" + eventId.substring(4), 200001L);
    JsonHttp.Response response =
        api.post(
            "/webhooks/stripe",
            body,
            Map.of(
                "Stripe-Signature",
                StripeWebhooks.signedNow(LocalStack.STRIPE_WEBHOOK_SECRETS.get(0), body)));
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json().path("jobId").asText();
  }

  private void awaitAllWorkflowsStarted() {
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                sql.count(
                        "SELECT count(*) FROM jobs WHERE workflow_started_at IS NULL"
                            + " AND created_at >= ?",
                        Timestamp.from(testStart))
                    == 0);
  }

  private void awaitNoneUnfinished(Duration timeout) {
    await()
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                sql.count("SELECT count(*) FROM jobs WHERE status IN ('PENDING', 'PROCESSING')")
                    == 0);
  }

  private Instant started(String job) {
    return ((Timestamp) jobRow(job).get("started_at")).toInstant();
  }
}
