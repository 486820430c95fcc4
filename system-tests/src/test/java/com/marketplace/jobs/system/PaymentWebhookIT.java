package com.marketplace.jobs.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.marketplace.jobs.devstack.LocalStack;
import com.marketplace.jobs.devstack.MailgunSink;
import com.marketplace.jobs.devstack.StripeFaultProxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Stripe webhooks through HTTP, signed here the way Stripe signs them, with the real dev server,
 * real PostgreSQL and stripe-mock behind the recording, fault-injecting proxy. stripe-mock is
 * stateless, so the tests assert our rows, the jobs, the emails and the requests the worker made.
 */
class PaymentWebhookIT extends StackTest {

  private static final String CURRENT = LocalStack.STRIPE_WEBHOOK_SECRETS.get(0);
  private static final String NEXT = LocalStack.STRIPE_WEBHOOK_SECRETS.get(1);
  private static final AtomicLong ORDERS = new AtomicLong(900_000);

  @BeforeEach
  void cleanStripe() {
    stack.stripe().reset();
  }

  @AfterEach
  void healStripe() {
    stack.stripe().reset();
  }

  // --- events and signatures, as Stripe sends them ---------------------------------------------

  private static String id(String prefix) {
    return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
  }

  /** An order of demo company 102 that no other test touches. */
  private long newOrder() {
    long orderId = ORDERS.incrementAndGet();
    sql.update(
        "INSERT INTO orders (id, company_id, vehicle_id, status) VALUES (?, 102, 200001, 'ACTIVE')",
        orderId);
    return orderId;
  }

  private JsonHttp.Response deliver(String body, String secret) {
    return api.post(
        "/webhooks/stripe",
        body,
        Map.of(
            "Stripe-Signature",
            StripeWebhooks.signature(secret, Instant.now().getEpochSecond(), body)));
  }

  /** Delivers the event, expects 200 with a job, waits until the job has finished. */
  private JsonNode deliverAndFinish(String body) {
    JsonHttp.Response response = deliver(body, CURRENT);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    assertThat(response.json().path("outcome").asText()).isEqualTo("accepted");
    return awaitFinished(response.json().path("jobId").asText(), Duration.ofSeconds(60));
  }

  private Map<String, Object> payment(String pi) {
    return sql.rows("SELECT * FROM payments WHERE payment_intent_id = ?", pi).get(0);
  }

  private Map<String, Object> order(long orderId) {
    return sql.rows(
            "SELECT status, payment_status, payment_intent_id, paid_at FROM orders WHERE id = ?",
            orderId)
        .get(0);
  }

  private List<StripeFaultProxy.Received> captures(String pi) {
    return stack.stripe().receivedFor("POST", "/v1/payment_intents/" + pi + "/capture");
  }

  // --- each event type -------------------------------------------------------------------------

  @Test
  void anAuthorizedPaymentIsCapturedOnceAndItsOrderShowsItPaid() {
    long orderId = newOrder();
    String pi = id("pi");
    String eventId = id("evt");

    JsonHttp.Response response =
        deliver(
            StripeWebhooks.intentEvent(
                eventId, "payment_intent.amount_capturable_updated", pi, orderId),
            NEXT);

    assertThat(response.status()).isEqualTo(200);
    JsonNode receipt = response.json();
    String jobId = receipt.path("jobId").asText();
    assertThat(receipt.path("eventId").asText()).isEqualTo(eventId);
    assertThat(receipt.path("workflowId").asText()).isEqualTo("payment_event-" + jobId);
    JsonNode job = awaitFinished(jobId, Duration.ofSeconds(60));
    assertThat(job.path("status").asText()).isEqualTo("COMPLETED");
    assertThat(job.path("priority").asText()).isEqualTo("PAYMENT");
    assertThat(job.path("type").asText()).isEqualTo("payment_event");

    assertThat(captures(pi))
        .singleElement()
        .satisfies(
            call -> {
              assertThat(call.header("Idempotency-Key")).isEqualTo("capture-" + pi);
              assertThat(call.header("Authorization"))
                  .isEqualTo("Bearer " + LocalStack.STRIPE_API_KEY);
            });
    Map<String, Object> payment = payment(pi);
    assertThat(payment)
        .containsEntry("status", "SUCCEEDED")
        .containsEntry("order_id", orderId)
        .containsEntry("amount", 12900L)
        .containsEntry("currency", "eur")
        .containsEntry("captured_by_job_id", UUID.fromString(jobId))
        .containsEntry("last_event_id", eventId);
    assertThat(payment.get("captured_at")).isNotNull();
    Map<String, Object> order = order(orderId);
    assertThat(order)
        .containsEntry("status", "ACTIVE")
        .containsEntry("payment_status", "SUCCEEDED")
        .containsEntry("payment_intent_id", pi);
    assertThat(order.get("paid_at")).isNotNull();
    assertThat(
            sql.rows(
                "SELECT outcome, job_id, deliveries FROM webhook_events WHERE event_id = ?",
                eventId))
        .singleElement()
        .satisfies(
            row ->
                assertThat(row)
                    .containsEntry("outcome", "ACCEPTED")
                    .containsEntry("job_id", UUID.fromString(jobId))
                    .containsEntry("deliveries", 1));
  }

  @Test
  void succeededFailedAndRefundedPaymentsEndInTheirRowsWithoutACapture() {
    long paidOrder = newOrder();
    long failedOrder = newOrder();
    long refundedOrder = newOrder();
    String paid = id("pi");
    String failed = id("pi");
    String refunded = id("pi");

    assertThat(
            deliverAndFinish(
                    StripeWebhooks.intentEvent(
                        id("evt"), "payment_intent.succeeded", paid, paidOrder))
                .path("status")
                .asText())
        .isEqualTo("COMPLETED");
    deliverAndFinish(
        StripeWebhooks.intentEvent(
            id("evt"), "payment_intent.payment_failed", failed, failedOrder));
    deliverAndFinish(
        StripeWebhooks.chargeEvent(
            id("evt"), "charge.succeeded", refunded, refundedOrder, false, 0));
    deliverAndFinish(
        StripeWebhooks.chargeEvent(
            id("evt"), "charge.refunded", refunded, refundedOrder, true, 12900));

    assertThat(payment(paid)).containsEntry("status", "SUCCEEDED");
    assertThat(payment(paid).get("captured_at")).isNotNull();
    assertThat(payment(paid).get("captured_by_job_id")).isNull();
    assertThat(order(paidOrder)).containsEntry("payment_status", "SUCCEEDED");
    assertThat(payment(failed)).containsEntry("status", "FAILED");
    assertThat(payment(failed).get("captured_at")).isNull();
    assertThat(order(failedOrder))
        .containsEntry("payment_status", "FAILED")
        .containsEntry("status", "ACTIVE");
    assertThat(payment(refunded))
        .containsEntry("status", "REFUNDED")
        .containsEntry("amount_refunded", 12900L)
        .containsEntry("charge_id", "ch_" + refunded.substring(3));
    assertThat(order(refundedOrder)).containsEntry("payment_status", "REFUNDED");
    assertThat(stack.stripe().received()).isEmpty();
  }

  @Test
  void aChargeArrivingBeforeItsIntentEndsInTheRightFinalState() {
    long orderId = newOrder();
    String pi = id("pi");

    deliverAndFinish(StripeWebhooks.chargeEvent(id("evt"), "charge.succeeded", pi, null, false, 0));
    assertThat(payment(pi)).containsEntry("status", "SUCCEEDED").containsEntry("order_id", null);
    deliverAndFinish(
        StripeWebhooks.intentEvent(
            id("evt"), "payment_intent.amount_capturable_updated", pi, orderId));
    deliverAndFinish(
        StripeWebhooks.intentEvent(id("evt"), "payment_intent.succeeded", pi, orderId));
    deliverAndFinish(
        StripeWebhooks.intentEvent(id("evt"), "payment_intent.payment_failed", pi, orderId));

    assertThat(payment(pi))
        .containsEntry("status", "SUCCEEDED")
        .containsEntry("order_id", orderId)
        .containsEntry("charge_id", "ch_" + pi.substring(3));
    assertThat(order(orderId)).containsEntry("payment_status", "SUCCEEDED");
    assertThat(captures(pi)).as("already collected: nothing to capture").isEmpty();
  }

  @Test
  void otherEventTypesAreAnsweredAndRecordedAsIgnoredWithoutAJob() {
    String eventId = id("evt");
    String body =
        """
        {"id": "%s", "object": "event", "created": %d, "type": "customer.created",
         "data": {"object": {"id": "cus_1", "object": "customer"}}}
        """
            .formatted(eventId, Instant.now().getEpochSecond());

    JsonHttp.Response response = deliver(body, CURRENT);

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.json().path("outcome").asText()).isEqualTo("ignored");
    assertThat(response.json().has("jobId")).isFalse();
    assertThat(sql.rows("SELECT outcome, job_id FROM webhook_events WHERE event_id = ?", eventId))
        .singleElement()
        .satisfies(row -> assertThat(row).containsEntry("outcome", "IGNORED"));
    assertThat(sql.count("SELECT count(*) FROM jobs WHERE idempotency_key = ?", eventId)).isZero();
  }

  // --- duplicates ------------------------------------------------------------------------------

  @Test
  void theSameEventTwentyTimesConcurrentlyGivesOneJobOneCaptureAndOnePaymentRow() throws Exception {
    long orderId = newOrder();
    String pi = id("pi");
    String eventId = id("evt");
    String body =
        StripeWebhooks.intentEvent(
            eventId, "payment_intent.amount_capturable_updated", pi, orderId);
    String signature = StripeWebhooks.signature(CURRENT, Instant.now().getEpochSecond(), body);
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService senders = Executors.newFixedThreadPool(20);
    List<Future<JsonHttp.Response>> responses = new ArrayList<>();
    try {
      for (int i = 0; i < 20; i++) {
        responses.add(
            senders.submit(
                () -> {
                  go.await();
                  return JsonHttp.api(stack)
                      .post("/webhooks/stripe", body, Map.of("Stripe-Signature", signature));
                }));
      }
      go.countDown();
      List<String> jobIds = new ArrayList<>();
      for (Future<JsonHttp.Response> response : responses) {
        JsonHttp.Response answered = response.get();
        assertThat(answered.status()).as(answered.body()).isEqualTo(200);
        jobIds.add(answered.json().path("jobId").asText());
      }
      assertThat(jobIds).hasSize(20).containsOnly(jobIds.get(0));
      JsonNode job = awaitFinished(jobIds.get(0), Duration.ofSeconds(60));
      assertThat(job.path("status").asText()).isEqualTo("COMPLETED");
    } finally {
      senders.shutdownNow();
    }

    assertThat(sql.count("SELECT count(*) FROM jobs WHERE idempotency_key = ?", eventId))
        .isEqualTo(1);
    assertThat(captures(pi)).hasSize(1);
    assertThat(sql.count("SELECT count(*) FROM payments WHERE payment_intent_id = ?", pi))
        .isEqualTo(1);
    assertThat(
            sql.rows("SELECT deliveries FROM webhook_events WHERE event_id = ?", eventId)
                .get(0)
                .get("deliveries"))
        .isEqualTo(20);
    assertThat(order(orderId)).containsEntry("payment_status", "SUCCEEDED");
  }

  // --- retries and failures --------------------------------------------------------------------

  @Test
  void transientStripeFaultsAreRetriedAndThePaymentIsCaptured() {
    long orderId = newOrder();
    String pi = id("pi");
    String eventId = id("evt");
    stack.stripe().failNext(1, 500);
    stack.stripe().failNext(1, 429);
    stack.stripe().failNext(1, StripeFaultProxy.TIMEOUT);

    JsonNode job =
        deliverAndFinish(
            StripeWebhooks.intentEvent(
                eventId, "payment_intent.amount_capturable_updated", pi, orderId));

    assertThat(job.path("status").asText()).isEqualTo("COMPLETED");
    assertThat(job.path("attempts").asInt()).as("record + 4 capture attempts").isEqualTo(5);
    assertThat(job.path("lastError").path("type").asText()).isEqualTo("PROVIDER_UNAVAILABLE");
    assertThat(captures(pi))
        .extracting(StripeFaultProxy.Received::answeredStatus)
        .containsExactly(500, 429, StripeFaultProxy.TIMEOUT, 200);
    assertThat(captures(pi))
        .allSatisfy(call -> assertThat(call.header("Idempotency-Key")).isEqualTo("capture-" + pi));
    assertThat(payment(pi)).containsEntry("status", "SUCCEEDED");
    assertThat(order(orderId)).containsEntry("payment_status", "SUCCEEDED");
    assertThat(stack.mail().received()).as("no alert for a healed payment").isEmpty();
  }

  @Test
  void whenEveryRetryFailsTheJobIsFailedUnresolvedAndFinanceGetsExactlyOneAlert() {
    long orderId = newOrder();
    String pi = id("pi");
    String eventId = id("evt");
    stack.stripe().failAlways(503);

    JsonNode job =
        deliverAndFinish(
            StripeWebhooks.intentEvent(
                eventId, "payment_intent.amount_capturable_updated", pi, orderId));

    String jobId = job.path("jobId").asText();
    assertThat(job.path("status").asText()).isEqualTo("FAILED");
    assertThat(job.path("resolution").asText()).isEqualTo("UNRESOLVED");
    assertThat(job.path("lastError").path("type").asText()).isEqualTo("PROVIDER_UNAVAILABLE");
    assertThat(captures(pi)).hasSize(4);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !stack.mail().acceptedForJob(jobId).isEmpty());
    // A late second alert would show up within a few seconds (it has nothing to wait for).
    await().pollDelay(Duration.ofSeconds(3)).until(() -> true);
    List<MailgunSink.Received> alerts = stack.mail().acceptedForJob(jobId);
    assertThat(alerts)
        .singleElement()
        .satisfies(
            email -> {
              assertThat(email.form().get("to")).isEqualTo(LocalStack.FINANCE_EMAIL);
              assertThat(email.form().get("o:tag")).isEqualTo("payment_alert");
              assertThat(email.form().get("text")).contains(eventId).contains(pi);
            });
    assertThat(sql.count("SELECT count(*) FROM payment_alerts WHERE job_id = ?::uuid", jobId))
        .isEqualTo(1);
    assertThat(payment(pi)).containsEntry("status", "AUTHORIZED");
    assertThat(order(orderId)).containsEntry("payment_status", "AUTHORIZED");
  }

  @Test
  void aRefusalFromStripeFailsTheJobAtOnceWithOneAlert() {
    String pi = id("pi");
    stack.stripe().failNext(1, 400);

    JsonNode job =
        deliverAndFinish(
            StripeWebhooks.intentEvent(
                id("evt"), "payment_intent.amount_capturable_updated", pi, null));

    String jobId = job.path("jobId").asText();
    assertThat(job.path("status").asText()).isEqualTo("FAILED");
    assertThat(job.path("lastError").path("type").asText()).isEqualTo("PROVIDER_REJECTED");
    assertThat(captures(pi)).hasSize(1);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> stack.mail().acceptedForJob(jobId).size() == 1);
  }

  // --- refusals --------------------------------------------------------------------------------

  @Test
  void anEventSignedWithAnUnknownSecretIsRefusedLoggedAndStartsNothing() {
    String eventId = id("evt");
    String body = StripeWebhooks.intentEvent(eventId, "payment_intent.succeeded", id("pi"), null);
    long refusalsBefore = sql.count("SELECT count(*) FROM security_log");

    JsonHttp.Response response = deliver(body, "whsec_not_configured");

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.header("Content-Type")).startsWith("application/problem+json");
    assertThat(sql.count("SELECT count(*) FROM security_log")).isEqualTo(refusalsBefore + 1);
    assertThat(
            sql.rows(
                    "SELECT channel, source_address, reason FROM security_log"
                        + " ORDER BY id DESC LIMIT 1")
                .get(0))
        .containsEntry("channel", "stripe")
        .containsEntry("source_address", "127.0.0.1");
    assertThat(sql.count("SELECT count(*) FROM jobs WHERE idempotency_key = ?", eventId)).isZero();
    assertThat(sql.count("SELECT count(*) FROM webhook_events WHERE event_id = ?", eventId))
        .isZero();
  }
}
