package com.marketplace.jobs.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.marketplace.jobs.common.FailureType;
import com.marketplace.jobs.devstack.StripeFaultProxy;
import com.marketplace.jobs.devstack.StripeMock;
import com.marketplace.jobs.notifications.MailSender;
import com.marketplace.jobs.notifications.OutgoingEmail;
import com.marketplace.jobs.notifications.TestMailers;
import com.marketplace.jobs.testsupport.MigratedPostgres;
import io.temporal.failure.ApplicationFailure;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The payment activities against a real stripe-mock (from .tools/bin, on a free port) behind the
 * recording, fault-injecting proxy, and a real PostgreSQL. stripe-mock answers canned objects, so
 * the tests assert our rows and the requests we made.
 */
class PaymentActivitiesImplTest {

  private static final String API_KEY = "sk_test_activities";
  private static final String FINANCE = "finance@rentals.test";
  private static final AtomicLong ORDERS = new AtomicLong(5000);

  private static MigratedPostgres database;
  private static StripeMock stripeMock;
  private static JdbcClient jdbc;

  private StripeFaultProxy stripe;
  private PaymentActivitiesImpl activities;
  private final List<OutgoingEmail> sent = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void startInfrastructure() {
    database = MigratedPostgres.start();
    jdbc = database.jdbc();
    stripeMock = StripeMock.startOnFreePort(Path.of("target"));
    jdbc.sql("INSERT INTO tenants VALUES (1, 'Sunny Rentals', 'pro', 100)").update();
    jdbc.sql(
            "INSERT INTO companies (id, tenant_id, name, email) VALUES (101, 1, 'Sunny', 's@x.test')")
        .update();
    jdbc.sql("INSERT INTO vehicle_models (id, tenant_id, name) VALUES (1, 1, 'Golf')").update();
    jdbc.sql("INSERT INTO vehicles (id, company_id, model_id) VALUES (1, 101, 1)").update();
  }

  @AfterAll
  static void stopInfrastructure() throws Exception {
    stripeMock.close();
    database.close();
  }

  @BeforeEach
  void wire() {
    stripe = new StripeFaultProxy(stripeMock.baseUrl(), Duration.ofSeconds(2)).start(0);
    StripeProperties properties =
        new StripeProperties(
            URI.create(stripe.baseUrl()), API_KEY, Duration.ofSeconds(2), Duration.ofSeconds(1));
    MailSender mail =
        email -> {
          sent.add(email);
          return "<alert-" + sent.size() + "@mg.test>";
        };
    activities =
        new PaymentActivitiesImpl(
            new Payments(
                jdbc,
                new TransactionTemplate(new DataSourceTransactionManager(database.dataSource()))),
            new StripeJavaPayments(properties),
            new PaymentAlerts(jdbc),
            TestMailers.staffMailer(mail),
            new PaymentProperties(FINANCE, null));
  }

  @AfterEach
  void stopProxy() {
    stripe.close();
  }

  private static long newOrder() {
    long id = ORDERS.incrementAndGet();
    jdbc.sql("INSERT INTO orders (id, company_id, vehicle_id) VALUES (:id, 101, 1)")
        .param("id", id)
        .update();
    return id;
  }

  private static String newIntent() {
    return "pi_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
  }

  private static PaymentEvent event(
      String type, String paymentIntentId, Long orderId, Boolean captured, Boolean refunded) {
    String eventId = "evt_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    boolean charge = type.startsWith("charge.");
    return new PaymentEvent(
        UUID.nameUUIDFromBytes(eventId.getBytes()).toString(),
        eventId,
        type,
        1767225600L,
        paymentIntentId,
        charge ? "ch_" + paymentIntentId.substring(3) : null,
        orderId,
        12900L,
        Boolean.TRUE.equals(refunded) ? 12900L : 0L,
        "eur",
        captured,
        refunded);
  }

  private static PaymentEvent authorized(String paymentIntentId, Long orderId) {
    return event("payment_intent.amount_capturable_updated", paymentIntentId, orderId, null, null);
  }

  private static Map<String, Object> payment(String paymentIntentId) {
    return jdbc.sql("SELECT * FROM payments WHERE payment_intent_id = :pi")
        .param("pi", paymentIntentId)
        .query()
        .singleRow();
  }

  private static Map<String, Object> order(long orderId) {
    return jdbc.sql(
            "SELECT status, payment_status, payment_intent_id, paid_at FROM orders WHERE id = :id")
        .param("id", orderId)
        .query()
        .singleRow();
  }

  private String capturePath(String paymentIntentId) {
    return "/v1/payment_intents/" + paymentIntentId + "/capture";
  }

  @Test
  void anAuthorizedIntentIsCapturedWithTheIntentsKeyAndRecordedOnPaymentAndOrder() {
    long orderId = newOrder();
    String pi = newIntent();
    PaymentEvent event = authorized(pi, orderId);

    PaymentState recorded = activities.recordEvent(event);
    assertThat(recorded.status()).isEqualTo(PaymentStatus.AUTHORIZED);
    assertThat(order(orderId)).containsEntry("payment_status", "AUTHORIZED");

    PaymentState captured = activities.capture(CaptureRequest.forEvent(event));

    assertThat(captured).isEqualTo(new PaymentState(pi, orderId, PaymentStatus.SUCCEEDED, true));
    assertThat(stripe.receivedFor("POST", capturePath(pi)))
        .singleElement()
        .satisfies(
            call -> {
              assertThat(call.header("Idempotency-Key")).isEqualTo("capture-" + pi);
              assertThat(call.header("Authorization")).isEqualTo("Bearer " + API_KEY);
              assertThat(call.answeredStatus()).isEqualTo(200);
            });
    Map<String, Object> row = payment(pi);
    assertThat(row)
        .containsEntry("status", "SUCCEEDED")
        .containsEntry("order_id", orderId)
        .containsEntry("amount", 12900L)
        .containsEntry("currency", "eur")
        .containsEntry("captured_by_job_id", UUID.fromString(event.jobId()))
        .containsEntry("last_event_id", event.eventId());
    assertThat(row.get("captured_at")).isNotNull();
    Map<String, Object> order = order(orderId);
    assertThat(order)
        .containsEntry("status", "ACTIVE")
        .containsEntry("payment_status", "SUCCEEDED")
        .containsEntry("payment_intent_id", pi);
    assertThat(order.get("paid_at")).isNotNull();
  }

  @Test
  void aCaptureRetriedAfterATimeoutSendsTheSameKeyAndARepeatAfterSuccessSendsNothing() {
    String pi = newIntent();
    PaymentEvent event = authorized(pi, null);
    activities.recordEvent(event);
    stripe.failNext(1, StripeFaultProxy.TIMEOUT);

    ApplicationFailure timeout =
        catchThrowableOfType(
            ApplicationFailure.class, () -> activities.capture(CaptureRequest.forEvent(event)));
    assertThat(timeout.getType()).isEqualTo(FailureType.PROVIDER_UNAVAILABLE.name());
    assertThat(timeout.isNonRetryable()).isFalse();
    assertThat(payment(pi)).containsEntry("status", "AUTHORIZED");

    activities.capture(CaptureRequest.forEvent(event));
    activities.capture(CaptureRequest.forEvent(event));

    assertThat(stripe.receivedFor("POST", capturePath(pi)))
        .hasSize(2)
        .allSatisfy(call -> assertThat(call.header("Idempotency-Key")).isEqualTo("capture-" + pi));
    assertThat(payment(pi)).containsEntry("status", "SUCCEEDED");
  }

  @Test
  void twoAuthorizationEventsForOneIntentCaptureWithOneKeyAndAlreadyCapturedIsSuccess() {
    String pi = newIntent();
    PaymentEvent first = authorized(pi, null);
    PaymentEvent second = authorized(pi, null);
    activities.recordEvent(first);
    activities.recordEvent(second);
    // The second capture reaches Stripe after the first succeeded there, but before this
    // service recorded it (two workers, one race): Stripe answers that the intent has succeeded.
    stripe.failNext(1, StripeFaultProxy.ALREADY_CAPTURED);

    PaymentState secondState = activities.capture(CaptureRequest.forEvent(second));
    activities.capture(CaptureRequest.forEvent(first));

    assertThat(secondState.status()).isEqualTo(PaymentStatus.SUCCEEDED);
    assertThat(payment(pi)).containsEntry("status", "SUCCEEDED");
    assertThat(stripe.receivedFor("POST", capturePath(pi)))
        .hasSize(1)
        .allSatisfy(call -> assertThat(call.header("Idempotency-Key")).isEqualTo("capture-" + pi));
  }

  @Test
  void stripe5xxAnd429AreRetryableAndOther4xxAreNot() {
    String pi = newIntent();
    PaymentEvent event = authorized(pi, null);
    activities.recordEvent(event);

    for (int status : new int[] {500, 503, 429, 409}) {
      stripe.failNext(1, status);
      ApplicationFailure failure =
          catchThrowableOfType(
              ApplicationFailure.class, () -> activities.capture(CaptureRequest.forEvent(event)));
      assertThat(failure.getType()).as("HTTP %d", status).isEqualTo("PROVIDER_UNAVAILABLE");
      assertThat(failure.isNonRetryable()).as("HTTP %d", status).isFalse();
      assertThat(failure.getOriginalMessage()).contains("HTTP " + status);
    }
    for (int status : new int[] {400, 401, 402, 404}) {
      stripe.failNext(1, status);
      ApplicationFailure failure =
          catchThrowableOfType(
              ApplicationFailure.class, () -> activities.capture(CaptureRequest.forEvent(event)));
      assertThat(failure.getType()).as("HTTP %d", status).isEqualTo("PROVIDER_REJECTED");
      assertThat(failure.isNonRetryable()).as("HTTP %d", status).isTrue();
      assertThat(failure.getOriginalMessage())
          .contains("HTTP " + status)
          .doesNotContain("Simulated");
    }
    assertThat(payment(pi)).containsEntry("status", "AUTHORIZED");
    assertThat(payment(pi).get("captured_at")).isNull();
  }

  @Test
  void aChargeBeforeItsIntentEndsInTheSameStateAsTheOtherOrder() {
    long orderId = newOrder();
    String pi = newIntent();
    PaymentEvent charge = event("charge.succeeded", pi, null, true, false);
    PaymentEvent intent = event("payment_intent.succeeded", pi, orderId, null, null);
    PaymentEvent lateFailure = event("payment_intent.payment_failed", pi, orderId, null, null);

    activities.recordEvent(charge);
    assertThat(payment(pi)).containsEntry("status", "SUCCEEDED").containsEntry("order_id", null);
    activities.recordEvent(intent);
    activities.recordEvent(lateFailure);

    assertThat(payment(pi))
        .containsEntry("status", "SUCCEEDED")
        .containsEntry("order_id", orderId)
        .containsEntry("charge_id", charge.chargeId());
    assertThat(order(orderId)).containsEntry("payment_status", "SUCCEEDED");
    assertThat(order(orderId).get("paid_at")).isNotNull();
  }

  @Test
  void aRefundSeenBeforeTheSuccessStaysRefunded() {
    long orderId = newOrder();
    String pi = newIntent();

    activities.recordEvent(event("charge.refunded", pi, orderId, true, true));
    activities.recordEvent(event("charge.succeeded", pi, orderId, true, false));
    activities.recordEvent(event("payment_intent.succeeded", pi, orderId, null, null));

    assertThat(payment(pi))
        .containsEntry("status", "REFUNDED")
        .containsEntry("amount_refunded", 12900L);
    assertThat(order(orderId)).containsEntry("payment_status", "REFUNDED");
  }

  @Test
  void anAuthorizationArrivingAfterTheSuccessIsNotCaptured() {
    String pi = newIntent();
    activities.recordEvent(event("payment_intent.succeeded", pi, null, null, null));
    PaymentEvent late = authorized(pi, null);

    PaymentState state = activities.recordEvent(late);
    PaymentState afterCapture = activities.capture(CaptureRequest.forEvent(late));

    assertThat(state.status()).isEqualTo(PaymentStatus.SUCCEEDED);
    assertThat(afterCapture.capturedByUs()).isFalse();
    assertThat(stripe.receivedFor("POST", capturePath(pi))).isEmpty();
  }

  @Test
  void applyingTheSameEventTwiceChangesNothing() {
    long orderId = newOrder();
    String pi = newIntent();
    PaymentEvent failed = event("payment_intent.payment_failed", pi, orderId, null, null);

    activities.recordEvent(failed);
    Map<String, Object> first = payment(pi);
    activities.recordEvent(failed);

    Map<String, Object> second = payment(pi);
    second.remove("updated_at");
    first.remove("updated_at");
    assertThat(second).isEqualTo(first);
    assertThat(second).containsEntry("status", "FAILED");
    assertThat(order(orderId)).containsEntry("payment_status", "FAILED");
    assertThat(
            jdbc.sql("SELECT count(*) FROM payments WHERE payment_intent_id = :pi")
                .param("pi", pi)
                .query(Long.class)
                .single())
        .isEqualTo(1);
  }

  @Test
  void theFinanceContactIsAlertedOncePerJob() {
    String jobId = UUID.randomUUID().toString();
    PaymentAlert alert =
        new PaymentAlert(
            jobId,
            "evt_alert",
            "payment_intent.amount_capturable_updated",
            "pi_alert",
            1042L,
            "PROVIDER_UNAVAILABLE",
            "Stripe answered HTTP 503 to the capture of pi_alert");

    activities.alertFinance(alert);
    activities.alertFinance(alert);

    assertThat(sent)
        .singleElement()
        .satisfies(
            email -> {
              assertThat(email.to()).isEqualTo(FINANCE);
              assertThat(email.jobId()).isEqualTo(jobId);
              assertThat(email.tag()).isEqualTo("payment_alert");
              assertThat(email.subject()).contains("pi_alert");
              assertThat(email.text())
                  .contains(jobId)
                  .contains("evt_alert")
                  .contains("1042")
                  .contains("Stripe answered HTTP 503");
            });
    assertThat(
            jdbc.sql("SELECT provider_message_id FROM payment_alerts WHERE job_id = :id")
                .param("id", UUID.fromString(jobId))
                .query(String.class)
                .single())
        .isEqualTo("<alert-1@mg.test>");
  }

  @Test
  void theFinanceAlertQuotesTheErrorWithoutEmailAddresses() {
    String jobId = UUID.randomUUID().toString();
    PaymentAlert alert =
        new PaymentAlert(
            jobId,
            "evt_alert_pii",
            "payment_intent.amount_capturable_updated",
            "pi_alert_pii",
            1043L,
            "IllegalStateException",
            "No such customer: annelie.berger@example.com (receipt_email)");

    activities.alertFinance(alert);

    assertThat(sent)
        .singleElement()
        .satisfies(
            email -> {
              assertThat(email.text() + email.html() + email.subject())
                  .doesNotContain("annelie.berger")
                  .doesNotContain("example.com");
              assertThat(email.text()).contains("No such customer: <email> (receipt_email)");
            });
  }
}
