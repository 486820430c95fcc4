package com.marketplace.jobs.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Mailgun sink's messages and events APIs as the worker's client uses them. */
class MailgunSinkTest {

  private static final String DOMAIN = "mg.sink.test";
  private static final String KEY = "sink-key";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private MailgunSink sink;

  @BeforeEach
  void start() {
    sink = new MailgunSink(DOMAIN, KEY).start(0);
  }

  @AfterEach
  void stop() {
    sink.close();
  }

  private static String basic(String key) {
    return "Basic "
        + Base64.getEncoder().encodeToString(("api:" + key).getBytes(StandardCharsets.UTF_8));
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private HttpResponse<String> send(String jobId, Duration timeout) throws Exception {
    String form =
        "from="
            + encode("Rentals <no-reply@" + DOMAIN + ">")
            + "&to="
            + encode("zoe@example.org")
            + "&subject=Hi&text=Hi&o:tag=welcome&v:job-id="
            + encode(jobId);
    return http.send(
        HttpRequest.newBuilder(URI.create(sink.baseUrl() + "/v3/" + DOMAIN + "/messages"))
            .timeout(timeout)
            .header("Authorization", basic(KEY))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> events(String query, String key) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(sink.baseUrl() + "/v3/" + DOMAIN + "/events?" + query))
            .header("Authorization", basic(key))
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private List<JsonNode> acceptedFor(String jobId) throws Exception {
    HttpResponse<String> response =
        events("event=accepted&user-variables=" + encode("{\"job-id\":\"" + jobId + "\"}"), KEY);
    assertThat(response.statusCode()).isEqualTo(200);
    List<JsonNode> items = new java.util.ArrayList<>();
    JSON.readTree(response.body()).path("items").forEach(items::add);
    return items;
  }

  @Test
  void theEventsApiListsTheAcceptedMessageOfAJobAsMailgunDoes() throws Exception {
    HttpResponse<String> sent = send("job-1", Duration.ofSeconds(5));
    send("job-2", Duration.ofSeconds(5));
    String messageId = JSON.readTree(sent.body()).path("id").asText();

    List<JsonNode> items = acceptedFor("job-1");

    assertThat(items).hasSize(1);
    JsonNode event = items.get(0);
    assertThat(event.path("event").asText()).isEqualTo("accepted");
    assertThat(event.path("user-variables").path("job-id").asText()).isEqualTo("job-1");
    assertThat("<" + event.path("message").path("headers").path("message-id").asText() + ">")
        .isEqualTo(messageId);
    assertThat(event.path("recipient").asText()).isEqualTo("zoe@example.org");
    assertThat(acceptedFor("job-3")).isEmpty();
    assertThat(sink.eventQueries()).hasSize(2);
  }

  @Test
  void theEventsApiFiltersByEventTypeTimeAndKey() throws Exception {
    sink.failNext(1, 503);
    send("job-1", Duration.ofSeconds(5));
    String vars = "&user-variables=" + encode("{\"job-id\":\"job-1\"}");

    assertThat(acceptedFor("job-1")).as("a refused send has no accepted event").isEmpty();
    send("job-1", Duration.ofSeconds(5));
    assertThat(acceptedFor("job-1")).hasSize(1);
    long future = Instant.now().plusSeconds(60).getEpochSecond();
    assertThat(
            JSON.readTree(events("begin=" + future + "&ascending=yes" + vars, KEY).body())
                .path("items"))
        .isEmpty();
    assertThat(JSON.readTree(events("event=delivered" + vars, KEY).body()).path("items")).isEmpty();
    assertThat(events("event=accepted" + vars, "wrong-key").statusCode()).isEqualTo(401);
  }

  @Test
  void aDelayedAnswerArrivesLateButTheMessageIsAcceptedAndListedAtOnce() throws Exception {
    HttpResponse<String> control =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(sink.baseUrl() + "/control/delay-next?count=1&seconds=3"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(control.statusCode()).isEqualTo(200);

    HttpTimeoutException timeout =
        catchThrowableOfType(
            HttpTimeoutException.class, () -> send("job-late", Duration.ofMillis(500)));

    assertThat(timeout).as("the client gave up before the answer").isNotNull();
    assertThat(sink.acceptedForJob("job-late")).hasSize(1);
    assertThat(acceptedFor("job-late")).hasSize(1);
    long started = System.nanoTime();
    assertThat(send("job-next", Duration.ofSeconds(5)).statusCode()).isEqualTo(200);
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .as("only the planned send is late")
        .isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void withAnEventsLagAnAcceptedMessageIsListedOnlyAfterTheLag() throws Exception {
    sink.eventsLag(Duration.ofMillis(800));
    send("job-1", Duration.ofSeconds(5));

    assertThat(acceptedFor("job-1")).isEmpty();
    Thread.sleep(1000);
    assertThat(acceptedFor("job-1")).hasSize(1);
  }

  private HttpResponse<String> sendBatch(String batchId, List<String> recipients, String variables)
      throws Exception {
    StringBuilder form = new StringBuilder("from=" + encode("Rentals <no-reply@" + DOMAIN + ">"));
    recipients.forEach(recipient -> form.append("&to=").append(encode(recipient)));
    form.append("&recipient-variables=")
        .append(encode(variables))
        .append("&subject=")
        .append(encode("Happy birthday, %recipient.first_name%!"))
        .append("&text=")
        .append(encode("Hi %recipient.first_name%,"))
        .append("&o:tag=birthday&v:batch-id=")
        .append(encode(batchId))
        .append("&v:touchpoint-id=")
        .append(encode("%recipient.touchpoint_id%"));
    return http.send(
        HttpRequest.newBuilder(URI.create(sink.baseUrl() + "/v3/" + DOMAIN + "/messages"))
            .header("Authorization", basic(KEY))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form.toString()))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static final String TWO_RECIPIENTS =
      """
      {"ottilie@example.org": {"first_name": "Ottilie", "touchpoint_id": "11"},
       "ramon@example.org": {"first_name": "Ramon", "touchpoint_id": "12"}}
      """;

  @Test
  void aBatchSendIsKeptAsOneEmailPerRecipientWithItsOwnVariablesAndEvent() throws Exception {
    HttpResponse<String> sent =
        sendBatch("batch-1", List.of("ottilie@example.org", "ramon@example.org"), TWO_RECIPIENTS);

    assertThat(sent.statusCode()).isEqualTo(200);
    String messageId = JSON.readTree(sent.body()).path("id").asText();
    List<MailgunSink.Received> accepted = sink.accepted();
    assertThat(accepted).hasSize(2);
    assertThat(accepted)
        .extracting(
            r -> r.form().get("to"), r -> r.form().get("subject"), r -> r.form().get("text"))
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "ottilie@example.org", "Happy birthday, Ottilie!", "Hi Ottilie,"),
            org.assertj.core.groups.Tuple.tuple(
                "ramon@example.org", "Happy birthday, Ramon!", "Hi Ramon,"));
    assertThat(accepted)
        .extracting(r -> r.form().get("v:touchpoint-id"))
        .containsExactly("11", "12");
    assertThat(accepted).extracting(MailgunSink.Received::messageId).containsOnly(messageId);
    assertThat(accepted.get(0).form()).doesNotContainKey("recipient-variables");

    HttpResponse<String> events =
        events("event=accepted&user-variables=" + encode("{\"batch-id\":\"batch-1\"}"), KEY);
    JsonNode items = JSON.readTree(events.body()).path("items");
    assertThat(items).hasSize(2);
    assertThat(items.get(1).path("recipient").asText()).isEqualTo("ramon@example.org");
    assertThat(items.get(1).path("user-variables").path("touchpoint-id").asText()).isEqualTo("12");
  }

  @Test
  void aBatchThatIsFailedIsAcceptedForNoRecipientAndTheNextIsAcceptedForAll() throws Exception {
    sink.failNext(1, 503);
    List<String> recipients = List.of("ottilie@example.org", "ramon@example.org");

    assertThat(sendBatch("batch-2", recipients, TWO_RECIPIENTS).statusCode()).isEqualTo(503);
    assertThat(sink.accepted()).isEmpty();
    assertThat(sink.received()).hasSize(2);
    assertThat(sendBatch("batch-2", recipients, TWO_RECIPIENTS).statusCode()).isEqualTo(200);
    assertThat(sink.accepted())
        .extracting(r -> r.form().get("to"))
        .containsExactlyElementsOf(recipients);
  }

  @Test
  void moreThanAThousandRecipientsAreRefused() throws Exception {
    List<String> many =
        java.util.stream.IntStream.rangeClosed(1, 1001)
            .mapToObj(i -> "r" + i + "@example.org")
            .toList();

    assertThat(sendBatch("batch-3", many, "{}").statusCode()).isEqualTo(400);
    assertThat(sink.received()).isEmpty();
  }
}
