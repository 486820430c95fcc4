package com.marketplace.jobs.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.marketplace.jobs.http.OutboundHttpProperties;
import io.temporal.failure.ApplicationFailure;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.MediaType;

class MailgunMailSenderTest {

  private static final String DOMAIN = "mg.example.com";
  private static final String API_KEY = "key-3ax6xnjp29jd6fds4gc373sgvjxteol0";
  private static final String FROM = "Rentals <no-reply@mg.example.com>";
  private static final String RECIPIENT = "jane.doe+rentals@example.org";

  private MockWebServer mailgun;

  @BeforeEach
  void startMailgun() throws Exception {
    mailgun = new MockWebServer();
    mailgun.start();
  }

  @AfterEach
  void stopMailgun() {
    mailgun.close();
  }

  private MailgunMailSender sender(Duration timeout) {
    URI baseUrl = URI.create("http://" + mailgun.getHostName() + ":" + mailgun.getPort());
    return new MailgunMailSender(
        new MailgunProperties(baseUrl, DOMAIN, API_KEY, FROM, timeout),
        OutboundHttpProperties.WORKER_DEFAULT);
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
  void anUnreachableMailgunIsRetryable() {
    MailgunMailSender sender = sender();
    mailgun.close(); // nothing listens on the port any more

    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> sender.send(email()));

    assertThat(failure).isNotNull();
    assertThat(failure.getType()).isEqualTo("PROVIDER_UNAVAILABLE");
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getMessage()).doesNotContain(RECIPIENT);
  }
}
