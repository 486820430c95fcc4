package com.marketplace.jobs.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.marketplace.jobs.http.OutboundHttpProperties;
import com.marketplace.jobs.testsupport.MigratedPostgres;
import io.temporal.failure.ApplicationFailure;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;

class MailgunMailSenderTest {

  private static final String DOMAIN = "mg.example.com";
  private static final String API_KEY = "key-3ax6xnjp29jd6fds4gc373sgvjxteol0";
  private static final String FROM = "Rentals <no-reply@mg.example.com>";
  private static final String RECIPIENT = "jane.doe+rentals@example.org";

  private static MigratedPostgres database;
  private static JdbcClient jdbc;

  private MockWebServer mailgun;

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
  void startMailgun() throws Exception {
    jdbc.sql("TRUNCATE email_sends").update();
    mailgun = new MockWebServer();
    mailgun.start();
  }

  @AfterEach
  void stopMailgun() {
    mailgun.close();
  }

  /** Short deadlines, and an events lag of 200 ms so retries in these tests barely wait. */
  static MailgunProperties properties(URI baseUrl, Duration readTimeout, Duration eventsLag) {
    return new MailgunProperties(
        baseUrl,
        DOMAIN,
        API_KEY,
        FROM,
        Duration.ofSeconds(1),
        Duration.ofSeconds(1),
        readTimeout,
        Duration.ofSeconds(2),
        eventsLag);
  }

  private MailgunMailSender sender(Duration timeout) {
    URI baseUrl = URI.create("http://" + mailgun.getHostName() + ":" + mailgun.getPort());
    return new MailgunMailSender(
        properties(baseUrl, timeout, Duration.ofMillis(200)),
        OutboundHttpProperties.WORKER_DEFAULT,
        new EmailSends(jdbc));
  }

  private MailgunMailSender sender() {
    return sender(Duration.ofSeconds(5));
  }

  private static OutgoingEmail email() {
    return new OutgoingEmail(
        RECIPIENT,
        "Your order 7 is confirmed & paid",
        "Hi Jane,\n\nyour order 7 for Fiat 500 is confirmed.\n",
        "<html><body><p>Hi Jane, 100% ready =)</p></body></html>",
        "6f1c2b8e-3d4a-4c5b-9e7f-0a1b2c3d4e5f",
        "order_confirmation");
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse.Builder()
        .code(code)
        .addHeader("Content-Type", "application/json")
        .body(body)
        .build();
  }

  private RecordedRequest takeRequest() throws InterruptedException {
    RecordedRequest request = mailgun.takeRequest(5, TimeUnit.SECONDS);
    assertThat(request).as("a request reached Mailgun").isNotNull();
    return request;
  }

  private static Map<String, String> formFields(String body) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (String pair : body.split("&")) {
      int equals = pair.indexOf('=');
      String name = URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8);
      String value = URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
      assertThat(fields.put(name, value)).as("form field %s sent once", name).isNull();
    }
    return fields;
  }

  @Test
  void postsTheFormToTheDomainsMessagesEndpointAndReturnsMailgunsMessageId() throws Exception {
    mailgun.enqueue(
        json(
            200, "{\"id\":\"<20260101.1234@mg.example.com>\",\"message\":\"Queued. Thank you.\"}"));

    String messageId = sender().send(email());

    assertThat(messageId).isEqualTo("<20260101.1234@mg.example.com>");
    RecordedRequest request = takeRequest();
    assertThat(request.getMethod()).isEqualTo("POST");
    assertThat(request.getUrl().encodedPath()).isEqualTo("/v3/mg.example.com/messages");
    assertThat(request.getUrl().query()).isNull();
    String expectedAuth =
        "Basic "
            + Base64.getEncoder()
                .encodeToString(("api:" + API_KEY).getBytes(StandardCharsets.UTF_8));
    assertThat(request.getHeaders().get("Authorization")).isEqualTo(expectedAuth);
    MediaType contentType = MediaType.parseMediaType(request.getHeaders().get("Content-Type"));
    assertThat(contentType.equalsTypeAndSubtype(MediaType.APPLICATION_FORM_URLENCODED))
        .as("Content-Type %s", contentType)
        .isTrue();
    assertThat(formFields(request.getBody().utf8()))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "from", FROM,
                "to", RECIPIENT,
                "subject", "Your order 7 is confirmed & paid",
                "text", "Hi Jane,\n\nyour order 7 for Fiat 500 is confirmed.\n",
                "html", "<html><body><p>Hi Jane, 100% ready =)</p></body></html>",
                "o:tag", "order_confirmation",
                "v:job-id", "6f1c2b8e-3d4a-4c5b-9e7f-0a1b2c3d4e5f"));
    assertThat(mailgun.getRequestCount()).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 401, 404})
  void anotherClientErrorIsANonRetryableRejectionWithoutTheRecipientsAddress(int status) {
    // Mailgun's error bodies can echo the address; the failure must not carry it to the ledger.
    mailgun.enqueue(
        json(status, "{\"message\":\"'to' parameter is not a valid address: " + RECIPIENT + "\"}"));

    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> sender().send(email()));

    assertThat(failure).as("an ApplicationFailure for HTTP %d", status).isNotNull();
    assertThat(failure.getType()).isEqualTo("PROVIDER_REJECTED");
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .isEqualTo("Mailgun refused the message: HTTP " + status);
    assertThat(failure.getMessage()).doesNotContain(RECIPIENT).doesNotContain("jane.doe");
    assertThat(mailgun.getRequestCount()).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(ints = {429, 500, 503})
  void throttlingAndServerErrorsAreRetryable(int status) {
    mailgun.enqueue(json(status, "{\"message\":\"try again later\"}"));

    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> sender().send(email()));

    assertThat(failure).as("an ApplicationFailure for HTTP %d", status).isNotNull();
    assertThat(failure.getType()).isEqualTo("PROVIDER_UNAVAILABLE");
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getOriginalMessage()).isEqualTo("Mailgun answered HTTP " + status);
    assertThat(mailgun.getRequestCount()).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"headers", "body"})
  void aResponseSlowerThanTheTimeoutIsRetryable(String slowPart) {
    MockResponse.Builder slow =
        new MockResponse.Builder()
            .code(200)
            .addHeader("Content-Type", "application/json")
            .body("{\"id\":\"<late@mg.example.com>\"}");
    if (slowPart.equals("headers")) {
      slow.headersDelay(10, TimeUnit.SECONDS);
    } else {
      slow.bodyDelay(10, TimeUnit.SECONDS);
    }
    mailgun.enqueue(slow.build());
    MailgunMailSender sender = sender(Duration.ofMillis(300));

    long started = System.nanoTime();
    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> sender.send(email()));
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(failure).as("a late %s is a failure, not a message id", slowPart).isNotNull();
    assertThat(failure.getType()).isEqualTo("PROVIDER_UNAVAILABLE");
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getMessage()).doesNotContain(RECIPIENT);
    assertThat(took)
        .as("gave up at the timeout, not when Mailgun answered")
        .isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void anUnreachableMailgunIsRetryableAndCertainNotToHaveSent() {
    MailgunMailSender sender = sender();
    mailgun.close(); // nothing listens on the port any more

    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> sender.send(email()));

    assertThat(failure).isNotNull();
    assertThat(failure.getType()).isEqualTo("PROVIDER_UNAVAILABLE");
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getMessage()).doesNotContain(RECIPIENT);
    assertThat(jdbc.sql("SELECT count(*) FROM email_sends").query(Long.class).single())
        .as("no send left to look for: the next attempt sends without a lookup")
        .isZero();
  }

  private static MockResponse events(String... items) {
    return json(200, "{\"items\":[" + String.join(",", items) + "],\"paging\":{}}");
  }

  /** An event as Mailgun's events API shows it: the message id without angle brackets. */
  private static String event(String type, String jobId, String messageId) {
    return """
        {"event":"%s","id":"ev-1","timestamp":1767225600.5,
         "message":{"headers":{"message-id":"%s","to":"%s"}},
         "user-variables":{"job-id":"%s"}}
        """
        .formatted(type, messageId, RECIPIENT, jobId);
  }

  private static ApplicationFailure failureOf(MailgunMailSender sender) {
    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> sender.send(email()));
    assertThat(failure).as("the attempt failed").isNotNull();
    return failure;
  }

  @Test
  void afterALostAnswerTheNextSendFindsTheAcceptedMessageInTheEventsAndSendsNothing()
      throws Exception {
    mailgun.enqueue(
        json(200, "{\"id\":\"<late.1@mg.example.com>\"}")
            .newBuilder()
            .headersDelay(3, TimeUnit.SECONDS)
            .build());
    mailgun.enqueue(events(event("accepted", email().jobId(), "late.1@mg.example.com")));
    MailgunMailSender sender = sender(Duration.ofMillis(300));

    ApplicationFailure lost = failureOf(sender);
    String messageId = sender.send(email());

    assertThat(lost.getType()).isEqualTo("PROVIDER_UNAVAILABLE");
    assertThat(lost.isNonRetryable()).isFalse();
    assertThat(messageId).isEqualTo("<late.1@mg.example.com>");
    assertThat(takeRequest().getMethod()).isEqualTo("POST");
    RecordedRequest lookup = takeRequest();
    assertThat(lookup.getMethod()).isEqualTo("GET");
    assertThat(lookup.getUrl().encodedPath()).isEqualTo("/v3/mg.example.com/events");
    assertThat(lookup.getUrl().queryParameter("event")).isEqualTo("accepted");
    assertThat(lookup.getUrl().queryParameter("user-variables"))
        .isEqualTo("{\"job-id\":\"" + email().jobId() + "\"}");
    assertThat(lookup.getUrl().queryParameter("ascending")).isEqualTo("yes");
    assertThat(Long.parseLong(lookup.getUrl().queryParameter("begin")))
        .isLessThanOrEqualTo(Instant.now().getEpochSecond());
    assertThat(lookup.getHeaders().get("Authorization"))
        .isEqualTo(
            "Basic "
                + Base64.getEncoder()
                    .encodeToString(("api:" + API_KEY).getBytes(StandardCharsets.UTF_8)));
    assertThat(mailgun.getRequestCount()).as("no second POST").isEqualTo(2);

    assertThat(sender.send(email()))
        .as("a later attempt takes the recorded id without asking Mailgun")
        .isEqualTo("<late.1@mg.example.com>");
    assertThat(mailgun.getRequestCount()).isEqualTo(2);
  }

  @Test
  void aServerErrorMayHaveSentSoTheRetryLooksFirstThenSendsOnce() throws Exception {
    mailgun.enqueue(json(503, "{\"message\":\"try again later\"}"));
    mailgun.enqueue(events());
    mailgun.enqueue(json(200, "{\"id\":\"<second@mg.example.com>\"}"));
    MailgunMailSender sender = sender();

    assertThat(failureOf(sender).getOriginalMessage()).isEqualTo("Mailgun answered HTTP 503");
    String messageId = sender.send(email());

    assertThat(messageId).isEqualTo("<second@mg.example.com>");
    assertThat(List.of(takeRequest(), takeRequest(), takeRequest()))
        .extracting(RecordedRequest::getMethod)
        .containsExactly("POST", "GET", "POST");
  }

  @Test
  void throttlingIsCertainNotToHaveSentSoTheRetrySendsWithoutLooking() throws Exception {
    mailgun.enqueue(json(429, "{\"message\":\"slow down\"}"));
    mailgun.enqueue(json(200, "{\"id\":\"<after.429@mg.example.com>\"}"));
    MailgunMailSender sender = sender();

    assertThat(failureOf(sender).getType()).isEqualTo("PROVIDER_UNAVAILABLE");
    assertThat(sender.send(email())).isEqualTo("<after.429@mg.example.com>");

    assertThat(List.of(takeRequest(), takeRequest()))
        .extracting(RecordedRequest::getMethod)
        .containsExactly("POST", "POST");
  }

  @Test
  void eventsOfOtherJobsAndOtherTypesDoNotCountAsThisJobsMessage() throws Exception {
    mailgun.enqueue(json(502, "{}"));
    mailgun.enqueue(
        events(
            event("accepted", "0e6f0c1d-0000-4000-8000-000000000001", "other@mg.example.com"),
            event("delivered", email().jobId(), "ghost@mg.example.com")));
    mailgun.enqueue(json(200, "{\"id\":\"<only@mg.example.com>\"}"));
    MailgunMailSender sender = sender();

    failureOf(sender);
    String messageId = sender.send(email());

    assertThat(messageId).isEqualTo("<only@mg.example.com>");
    assertThat(mailgun.getRequestCount()).isEqualTo(3);
  }

  @Test
  void aLookupMailgunRefusesFailsWithoutRetryAndSendsNothing() throws Exception {
    mailgun.enqueue(json(500, "{}"));
    mailgun.enqueue(json(401, "{\"message\":\"Forbidden\"}"));
    MailgunMailSender sender = sender();

    failureOf(sender);
    ApplicationFailure refused = failureOf(sender);

    assertThat(refused.getType()).isEqualTo("PROVIDER_REJECTED");
    assertThat(refused.isNonRetryable()).isTrue();
    assertThat(refused.getOriginalMessage())
        .isEqualTo("Mailgun refused the events lookup: HTTP 401");
    assertThat(mailgun.getRequestCount()).as("one POST, one lookup, no second POST").isEqualTo(2);
  }

  @Test
  void deadlinesThatCouldOutlastTheSendingActivitiesStopTheWorkerAtStart() {
    URI baseUrl = URI.create("http://127.0.0.1:9");
    MailgunProperties tooSlow = properties(baseUrl, Duration.ofSeconds(25), Duration.ofSeconds(5));

    IllegalStateException refused =
        catchThrowableOfType(
            IllegalStateException.class,
            () ->
                new MailgunMailSender(
                    tooSlow, OutboundHttpProperties.WORKER_DEFAULT, new EmailSends(jdbc)));

    assertThat(refused).isNotNull();
    assertThat(refused.getMessage()).contains("jobs.mailgun").contains("read-timeout (PT25S)");
  }

  private static final java.util.UUID BATCH =
      java.util.UUID.fromString("0b7c4c1e-5d7e-4f4a-9d7b-1a2b3c4d5e6f");

  private static OutgoingBatch batch() {
    return new OutgoingBatch(
        BATCH,
        "Happy birthday, %recipient.first_name%!",
        "Hi %recipient.first_name%,",
        "<p>Hi %recipient.first_name%,</p>",
        "birthday",
        Map.of("touchpoint-id", "%recipient.touchpoint_id%"),
        List.of(
            new OutgoingBatch.Recipient(
                "ottilie@example.org", Map.of("first_name", "Ottilie", "touchpoint_id", "11")),
            new OutgoingBatch.Recipient(
                RECIPIENT, Map.of("first_name", "Jane", "touchpoint_id", "12"))));
  }

  /** Every value of every field, repeated names kept. */
  private static Map<String, List<String>> allFields(String body) {
    Map<String, List<String>> fields = new LinkedHashMap<>();
    for (String pair : body.split("&")) {
      int equals = pair.indexOf('=');
      fields
          .computeIfAbsent(
              URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
              name -> new java.util.ArrayList<>())
          .add(URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
    }
    return fields;
  }

  @Test
  void aBatchIsOnePostWithEveryRecipientTheirVariablesAndTheBatchId() throws Exception {
    mailgun.enqueue(json(200, "{\"id\":\"<batch.1@mg.example.com>\"}"));

    String messageId = sender().sendBatch(batch());

    assertThat(messageId).isEqualTo("<batch.1@mg.example.com>");
    Map<String, List<String>> fields = allFields(takeRequest().getBody().utf8());
    assertThat(fields.get("to")).containsExactly("ottilie@example.org", RECIPIENT);
    assertThat(
            new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(fields.get("recipient-variables").get(0)))
        .isEqualTo(
            new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(
                    """
                    {"ottilie@example.org": {"first_name": "Ottilie", "touchpoint_id": "11"},
                     "jane.doe+rentals@example.org": {"first_name": "Jane", "touchpoint_id": "12"}}
                    """));
    assertThat(fields.get("subject")).containsExactly("Happy birthday, %recipient.first_name%!");
    assertThat(fields.get("v:touchpoint-id")).containsExactly("%recipient.touchpoint_id%");
    assertThat(fields.get("v:batch-id")).containsExactly(BATCH.toString());
    assertThat(fields.get("o:tag")).containsExactly("birthday");
    assertThat(fields).doesNotContainKey("v:job-id");
  }

  @Test
  void aBatchWhoseAnswerWasLostIsLookedUpByItsBatchIdAndNotSentAgain() throws Exception {
    mailgun.enqueue(json(503, "{\"message\":\"try again later\"}"));
    mailgun.enqueue(
        events(
            """
            {"event":"accepted","id":"ev-2","timestamp":1767225600.5,"recipient":"%s",
             "message":{"headers":{"message-id":"batch.2@mg.example.com"}},
             "user-variables":{"batch-id":"%s","touchpoint-id":"12"}}
            """
                .formatted(RECIPIENT, BATCH)));
    MailgunMailSender sender = sender();

    ApplicationFailure failed =
        catchThrowableOfType(ApplicationFailure.class, () -> sender.sendBatch(batch()));
    String messageId = sender.sendBatch(batch());

    assertThat(failed.isNonRetryable()).isFalse();
    assertThat(messageId).isEqualTo("<batch.2@mg.example.com>");
    takeRequest();
    assertThat(takeRequest().getUrl().queryParameter("user-variables"))
        .isEqualTo("{\"batch-id\":\"" + BATCH + "\"}");
    assertThat(mailgun.getRequestCount()).as("no second POST").isEqualTo(2);
  }

  @Test
  void aBatchRefusedWith400IsInvalidInputAndOneRefusedWith401IsARejection() {
    mailgun.enqueue(json(400, "{\"message\":\"'to' parameter is not a valid address\"}"));
    mailgun.enqueue(json(401, "{\"message\":\"Forbidden\"}"));
    MailgunMailSender sender = sender();

    ApplicationFailure invalid =
        catchThrowableOfType(ApplicationFailure.class, () -> sender.sendBatch(batch()));
    ApplicationFailure refused =
        catchThrowableOfType(ApplicationFailure.class, () -> sender.sendBatch(batch()));

    assertThat(invalid.getType()).isEqualTo("INVALID_INPUT");
    assertThat(invalid.isNonRetryable()).isTrue();
    assertThat(invalid.getOriginalMessage()).doesNotContain("@");
    assertThat(refused.getType()).isEqualTo("PROVIDER_REJECTED");
    assertThat(mailgun.getRequestCount()).as("a refusal is certain not to have sent").isEqualTo(2);
  }
}
