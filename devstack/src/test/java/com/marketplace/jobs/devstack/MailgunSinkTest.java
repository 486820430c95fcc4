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
}
