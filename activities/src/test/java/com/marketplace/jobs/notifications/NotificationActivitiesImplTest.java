package com.marketplace.jobs.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.marketplace.jobs.devstack.MailgunSink;
import com.marketplace.jobs.http.OutboundHttpProperties;
import com.marketplace.jobs.testsupport.MigratedPostgres;
import io.temporal.failure.ApplicationFailure;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The notification activity with its real collaborators, PostgreSQL and a fake Mailgun. */
class NotificationActivitiesImplTest {

  private static final long CUSTOMER_ID = 42;
  private static final String CUSTOMER_EMAIL = "zoe.martin@example.org";

  private static MigratedPostgres database;
  private static JdbcClient jdbc;

  private MockWebServer mailgun;
  private MailgunSink sink;
  private NotificationActivitiesImpl activities;

  @BeforeAll
  static void startDatabase() {
    database = MigratedPostgres.start();
    jdbc = database.jdbc();
  }

  @AfterAll
  static void stopDatabase() throws Exception {
    database.close();
  }

  @BeforeEach
  void setUp() throws Exception {
    jdbc.sql("TRUNCATE email_deliveries, customers, tenants CASCADE").update();
    jdbc.sql(
            "INSERT INTO tenants (id, name, plan, vehicle_limit)"
                + " VALUES (1, 'Sunny Rentals', 'pro', 500)")
        .update();
    jdbc.sql(
            "INSERT INTO customers (id, tenant_id, email, first_name, time_zone)"
                + " VALUES (:id, 1, :email, 'Zoë', 'Europe/Berlin')")
        .param("id", CUSTOMER_ID)
        .param("email", CUSTOMER_EMAIL)
        .update();

    jdbc.sql("TRUNCATE email_sends").update();
    mailgun = new MockWebServer();
    mailgun.start();
    activities =
        activities(
            URI.create("http://" + mailgun.getHostName() + ":" + mailgun.getPort()),
            Duration.ofSeconds(5),
            Duration.ofMillis(200));
  }

  @AfterEach
  void stopMailgun() {
    mailgun.close();
    if (sink != null) {
      sink.close();
    }
  }

  /** The activity over the real sender, with the given read timeout and events lag. */
  private static NotificationActivitiesImpl activities(
      URI mailgunUrl, Duration readTimeout, Duration eventsLag) {
    MailgunProperties properties =
        new MailgunProperties(
            mailgunUrl,
            "mg.example.com",
            "test-key",
            "Rentals <no-reply@mg.example.com>",
            Duration.ofSeconds(1),
            Duration.ofSeconds(1),
            readTimeout,
            Duration.ofSeconds(2),
            eventsLag);
    return new NotificationActivitiesImpl(
        new CustomerDirectory(jdbc),
        new EmailTemplates(),
        new MailgunMailSender(
            properties, OutboundHttpProperties.WORKER_DEFAULT, new EmailSends(jdbc)),
        new EmailDeliveries(jdbc));
  }

  /**
   * The activity over the Mailgun sink (accepts on arrival, can answer late, lists its events),
   * with a read timeout of 500 ms and the given events lag.
   */
  private NotificationActivitiesImpl overTheSink(Duration eventsLag) {
    sink = new MailgunSink("mg.example.com", "test-key").start(0);
    return activities(URI.create(sink.baseUrl()), Duration.ofMillis(500), eventsLag);
  }

  private static MockResponse accepted(String messageId) {
    return new MockResponse.Builder()
        .code(200)
        .addHeader("Content-Type", "application/json")
        .body("{\"id\":\"" + messageId + "\",\"message\":\"Queued. Thank you.\"}")
        .build();
  }

  private Map<String, String> takeForm() throws InterruptedException {
    RecordedRequest request = mailgun.takeRequest(5, TimeUnit.SECONDS);
    assertThat(request).as("a request reached Mailgun").isNotNull();
    assertThat(request.getMethod()).isEqualTo("POST");
    assertThat(request.getUrl().encodedPath()).isEqualTo("/v3/mg.example.com/messages");
    Map<String, String> fields = new LinkedHashMap<>();
    for (String pair : request.getBody().utf8().split("&")) {
      int equals = pair.indexOf('=');
      fields.put(
          URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
    }
    return fields;
  }

  private static List<Map<String, Object>> deliveries() {
    return jdbc.sql(
            "SELECT job_id::text AS job_id, customer_id, template, provider_message_id"
                + " FROM email_deliveries ORDER BY sent_at")
        .query()
        .listOfRows();
  }

  @Test
  void sendsTheRenderedTemplateOnceAndRecordsMailgunsMessageId() throws Exception {
    String jobId = UUID.randomUUID().toString();
    mailgun.enqueue(accepted("<welcome.1@mg.example.com>"));

    DeliveryReceipt receipt =
        activities.deliverEmail(new NotificationRequest(jobId, CUSTOMER_ID, "welcome", Map.of()));

    assertThat(receipt).isEqualTo(new DeliveryReceipt(jobId, "<welcome.1@mg.example.com>"));
    Map<String, String> form = takeForm();
    assertThat(form)
        .containsEntry("from", "Rentals <no-reply@mg.example.com>")
        .containsEntry("to", CUSTOMER_EMAIL)
        .containsEntry("subject", "Welcome to Rentals, Zoë!")
        .containsEntry("o:tag", "welcome")
        .containsEntry("v:job-id", jobId);
    assertThat(form.get("text")).startsWith("Hi Zoë,\n").contains("welcome to Rentals");
    assertThat(form.get("html")).contains("<p>Hi Zoë,</p>").contains("welcome to Rentals");
    assertThat(mailgun.getRequestCount()).isEqualTo(1);
    assertThat(deliveries())
        .containsExactly(
            Map.of(
                "job_id",
                jobId,
                "customer_id",
                CUSTOMER_ID,
                "template",
                "welcome",
                "provider_message_id",
                "<welcome.1@mg.example.com>"));
  }

  @Test
  void escapesParamsInTheHtmlPartButNotInTheTextPart() throws Exception {
    String jobId = UUID.randomUUID().toString();
    mailgun.enqueue(accepted("<order.1@mg.example.com>"));

    activities.deliverEmail(
        new NotificationRequest(
            jobId,
            CUSTOMER_ID,
            "order_confirmation",
            Map.of("orderId", "A-17", "vehicleName", "<script>alert(1)</script> Fiat 500")));

    Map<String, String> form = takeForm();
    assertThat(form.get("subject")).isEqualTo("Your order A-17 is confirmed");
    assertThat(form.get("text"))
        .startsWith("Hi Zoë,\n")
        .contains("your order A-17 for <script>alert(1)</script> Fiat 500 is confirmed.");
    assertThat(form.get("html"))
        .contains("<p>Hi Zoë,</p>")
        .contains("your order A-17 for &lt;script&gt;alert(1)&lt;/script&gt; Fiat 500")
        .doesNotContain("<script>");
    assertThat(form).containsEntry("o:tag", "order_confirmation");
  }

  @Test
  void aSecondDeliveryOfTheSameJobSendsNothingAndReturnsTheFirstMessageId() throws Exception {
    String jobId = UUID.randomUUID().toString();
    NotificationRequest request = new NotificationRequest(jobId, CUSTOMER_ID, "birthday", Map.of());
    mailgun.enqueue(accepted("<first@mg.example.com>"));
    mailgun.enqueue(accepted("<second@mg.example.com>"));

    DeliveryReceipt first = activities.deliverEmail(request);
    DeliveryReceipt second = activities.deliverEmail(request);

    assertThat(first).isEqualTo(new DeliveryReceipt(jobId, "<first@mg.example.com>"));
    assertThat(second).isEqualTo(first);
    assertThat(mailgun.getRequestCount()).isEqualTo(1);
    assertThat(deliveries())
        .singleElement()
        .satisfies(
            row -> assertThat(row).containsEntry("provider_message_id", first.providerMessageId()));
  }

  @Test
  void aRetryAfterAnUnavailableMailgunLooksForTheEmailThenSendsAgainAndRecordsOnlyTheAccepted()
      throws Exception {
    String jobId = UUID.randomUUID().toString();
    NotificationRequest request = new NotificationRequest(jobId, CUSTOMER_ID, "welcome", Map.of());
    mailgun.enqueue(new MockResponse.Builder().code(503).build());
    mailgun.enqueue(
        new MockResponse.Builder()
            .code(200)
            .addHeader("Content-Type", "application/json")
            .body("{\"items\":[],\"paging\":{}}")
            .build());
    mailgun.enqueue(accepted("<retried@mg.example.com>"));

    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> activities.deliverEmail(request));
    assertThat(failure.getType()).isEqualTo("PROVIDER_UNAVAILABLE");
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(deliveries()).isEmpty();

    DeliveryReceipt receipt = activities.deliverEmail(request);

    assertThat(receipt.providerMessageId()).isEqualTo("<retried@mg.example.com>");
    assertThat(mailgun.getRequestCount()).as("POST 503, events lookup, POST").isEqualTo(3);
    assertThat(deliveries())
        .singleElement()
        .satisfies(
            row ->
                assertThat(row).containsEntry("provider_message_id", "<retried@mg.example.com>"));
  }

  @Test
  void anUnknownCustomerFailsWithoutRetryAndSendsNothing() {
    String jobId = UUID.randomUUID().toString();
    mailgun.enqueue(accepted("<never@mg.example.com>"));

    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () ->
                activities.deliverEmail(new NotificationRequest(jobId, 999, "welcome", Map.of())));

    assertThat(failure).isNotNull();
    assertThat(failure.getType()).isEqualTo("NOT_FOUND");
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).contains("999");
    assertThat(mailgun.getRequestCount()).isZero();
    assertThat(deliveries()).isEmpty();
  }

  @Test
  void anUnknownTemplateFailsWithoutRetryAndSendsNothing() {
    String jobId = UUID.randomUUID().toString();
    mailgun.enqueue(accepted("<never@mg.example.com>"));

    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () ->
                activities.deliverEmail(
                    new NotificationRequest(jobId, CUSTOMER_ID, "farewell", Map.of())));

    assertThat(failure).isNotNull();
    assertThat(failure.getType()).isEqualTo("INVALID_INPUT");
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).contains("farewell");
    assertThat(mailgun.getRequestCount()).isZero();
    assertThat(deliveries()).isEmpty();
  }

  @Test
  void anAnswerLaterThanTheTimeoutIsFoundInTheEventsByTheRetryWhichSendsNothing() {
    NotificationActivitiesImpl activities = overTheSink(Duration.ofMillis(200));
    String jobId = UUID.randomUUID().toString();
    NotificationRequest request = new NotificationRequest(jobId, CUSTOMER_ID, "welcome", Map.of());
    sink.delayNext(1, Duration.ofSeconds(3));

    ApplicationFailure lost =
        catchThrowableOfType(ApplicationFailure.class, () -> activities.deliverEmail(request));
    assertThat(lost).as("the first attempt did not get Mailgun's answer").isNotNull();
    assertThat(lost.getType()).isEqualTo("PROVIDER_UNAVAILABLE");
    assertThat(lost.isNonRetryable()).isFalse();
    assertThat(deliveries()).isEmpty();

    DeliveryReceipt receipt = activities.deliverEmail(request);

    MailgunSink.Received accepted = sink.acceptedForJob(jobId).get(0);
    assertThat(sink.receivedForJob(jobId)).as("one email sent, none again").hasSize(1);
    assertThat(receipt).isEqualTo(new DeliveryReceipt(jobId, accepted.messageId()));
    assertThat(deliveries())
        .singleElement()
        .satisfies(
            row ->
                assertThat(row)
                    .containsEntry("job_id", jobId)
                    .containsEntry("provider_message_id", accepted.messageId()));
    assertThat(sink.eventQueries()).hasSize(1);
  }

  @Test
  void aLostAnswerToASendMailgunDidNotAcceptIsSentOnceByTheRetry() {
    NotificationActivitiesImpl activities = overTheSink(Duration.ofMillis(200));
    String jobId = UUID.randomUUID().toString();
    NotificationRequest request = new NotificationRequest(jobId, CUSTOMER_ID, "welcome", Map.of());
    sink.failNext(1, 503);
    sink.delayNext(1, Duration.ofSeconds(3));

    assertThat(
            catchThrowableOfType(ApplicationFailure.class, () -> activities.deliverEmail(request)))
        .isNotNull();
    DeliveryReceipt receipt = activities.deliverEmail(request);

    assertThat(sink.receivedForJob(jobId)).hasSize(2);
    assertThat(sink.acceptedForJob(jobId))
        .singleElement()
        .satisfies(sent -> assertThat(sent.messageId()).isEqualTo(receipt.providerMessageId()));
    assertThat(sink.eventQueries()).as("looked before sending again").hasSize(1);
    assertThat(deliveries())
        .singleElement()
        .satisfies(
            row ->
                assertThat(row).containsEntry("provider_message_id", receipt.providerMessageId()));
  }

  @Test
  void aRetryRightAfterALostAnswerWaitsOutTheEventsLagBeforeItTrustsNotFound() {
    // Mailgun's event shows 1.5 s after acceptance; the sender trusts "not found" 2 s after the
    // answer was lost. Without that wait the retry (at once here) would find nothing and send
    // again.
    NotificationActivitiesImpl activities = overTheSink(Duration.ofSeconds(2));
    sink.eventsLag(Duration.ofMillis(1500));
    String jobId = UUID.randomUUID().toString();
    NotificationRequest request = new NotificationRequest(jobId, CUSTOMER_ID, "birthday", Map.of());
    sink.delayNext(1, Duration.ofSeconds(4));

    assertThat(
            catchThrowableOfType(ApplicationFailure.class, () -> activities.deliverEmail(request)))
        .isNotNull();
    DeliveryReceipt receipt = activities.deliverEmail(request);

    assertThat(sink.receivedForJob(jobId)).as("one email, not two").hasSize(1);
    assertThat(receipt.providerMessageId())
        .isEqualTo(sink.acceptedForJob(jobId).get(0).messageId());
    assertThat(deliveries()).hasSize(1);
  }

  @Test
  void aRetryAfterAnAttemptKilledMidSendLooksBeforeItSends() {
    NotificationActivitiesImpl activities = overTheSink(Duration.ofMillis(200));
    String jobId = UUID.randomUUID().toString();
    NotificationRequest request = new NotificationRequest(jobId, CUSTOMER_ID, "welcome", Map.of());
    activities.deliverEmail(request);
    // As if the worker died after Mailgun accepted and before anything after the POST was written:
    // the send's row says it began, nothing more.
    jdbc.sql("TRUNCATE email_deliveries").update();
    jdbc.sql(
            "UPDATE email_sends SET provider_message_id = NULL,"
                + " started_at = now() - interval '1 minute' WHERE job_id = CAST(:id AS uuid)")
        .param("id", jobId)
        .update();

    DeliveryReceipt receipt = activities.deliverEmail(request);

    assertThat(sink.receivedForJob(jobId)).hasSize(1);
    assertThat(receipt.providerMessageId())
        .isEqualTo(sink.acceptedForJob(jobId).get(0).messageId());
    assertThat(deliveries())
        .singleElement()
        .satisfies(
            row ->
                assertThat(row).containsEntry("provider_message_id", receipt.providerMessageId()));
  }
}
