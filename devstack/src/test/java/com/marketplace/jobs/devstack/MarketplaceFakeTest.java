package com.marketplace.jobs.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MarketplaceFakeTest {

  private static final String API_KEY = "bln_test_key";
  private static final String SECRET = "billion-signing-secret-0123";
  private static final String WITHDRAW = "/v1/listings/withdraw";
  private static final String PUBLISH = "/v1/listings/publish";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private MarketplaceFake billion;
  private int keys;

  @BeforeEach
  void start() {
    billion = new MarketplaceFake(API_KEY, SECRET).start(0);
  }

  @AfterEach
  void stop() {
    billion.close();
  }

  /** A call as the contract describes it, signed here with our own HMAC computation. */
  private record Call(
      String path,
      String body,
      String authorization,
      String secret,
      long timestamp,
      String idempotencyKey) {

    Call withAuthorization(String value) {
      return new Call(path, body, value, secret, timestamp, idempotencyKey);
    }

    Call withSecret(String value) {
      return new Call(path, body, authorization, value, timestamp, idempotencyKey);
    }

    Call withTimestamp(long value) {
      return new Call(path, body, authorization, secret, value, idempotencyKey);
    }

    Call withKey(String value) {
      return new Call(path, body, authorization, secret, timestamp, value);
    }
  }

  private Call call(String path, long companyId, long... vehicleIds) {
    String ids =
        LongStream.of(vehicleIds).mapToObj(Long::toString).collect(Collectors.joining(","));
    return new Call(
        path,
        "{\"companyId\":" + companyId + ",\"vehicleIds\":[" + ids + "]}",
        "Bearer " + API_KEY,
        SECRET,
        Instant.now().getEpochSecond(),
        "key-" + (++keys));
  }

  private static String sign(String secret, String timestamp, byte[] body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
    return "v1=" + HexFormat.of().formatHex(mac.doFinal(body));
  }

  private HttpResponse<String> send(Call call) throws Exception {
    return send(call, call.body());
  }

  /** Signs {@code call.body()} but sends {@code sentBody} (to tamper with the body). */
  private HttpResponse<String> send(Call call, String sentBody) throws Exception {
    String timestamp = Long.toString(call.timestamp());
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(billion.baseUrl() + call.path()))
            .timeout(Duration.ofSeconds(5))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(sentBody));
    if (call.authorization() != null) {
      request.header("Authorization", call.authorization());
    }
    if (call.idempotencyKey() != null) {
      request.header("Idempotency-Key", call.idempotencyKey());
    }
    if (call.secret() != null) {
      request.header("X-Billion-Timestamp", timestamp);
      request.header(
          "X-Billion-Signature",
          sign(call.secret(), timestamp, call.body().getBytes(StandardCharsets.UTF_8)));
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String pathAndQuery) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(billion.baseUrl() + pathAndQuery)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> postControl(String pathAndQuery) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(billion.baseUrl() + pathAndQuery))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }

  @Test
  void publishListsAndWithdrawUnlistsTheCompanysVehicles() throws Exception {
    HttpResponse<String> published = send(call(PUBLISH, 101, 3, 1, 2));

    assertThat(published.statusCode()).isEqualTo(200);
    assertThat(json(published)).isEqualTo(JSON.readTree("{\"companyId\":101,\"listed\":3}"));
    assertThat(billion.listed(101)).containsExactly(1L, 2L, 3L);

    HttpResponse<String> withdrawn = send(call(WITHDRAW, 101, 2));

    assertThat(withdrawn.statusCode()).isEqualTo(200);
    assertThat(json(withdrawn)).isEqualTo(JSON.readTree("{\"companyId\":101,\"listed\":2}"));
    assertThat(billion.listed(101)).containsExactly(1L, 3L);
    assertThat(billion.listed(102)).isEmpty();
  }

  @Test
  void bothOperationsAreIdempotent() throws Exception {
    billion.seed(101, List.of(1L, 2L));

    assertThat(send(call(PUBLISH, 101, 2, 5)).statusCode()).isEqualTo(200);
    assertThat(send(call(PUBLISH, 101, 2, 5)).statusCode()).isEqualTo(200);
    assertThat(billion.listed(101)).containsExactly(1L, 2L, 5L);

    HttpResponse<String> unlisted = send(call(WITHDRAW, 101, 7, 8));
    assertThat(unlisted.statusCode()).as("withdrawing unlisted vehicles").isEqualTo(200);
    assertThat(json(unlisted).get("listed").asInt()).isEqualTo(3);
    assertThat(send(call(WITHDRAW, 101, 1, 2, 5)).statusCode()).isEqualTo(200);
    assertThat(send(call(WITHDRAW, 101, 1, 2, 5)).statusCode()).isEqualTo(200);
    assertThat(billion.listed(101)).isEmpty();
  }

  @Test
  void companiesAreKeptApart() throws Exception {
    billion.seed(101, List.of(1L, 2L));
    billion.seed(202, List.of(2L, 9L));

    assertThat(send(call(WITHDRAW, 101, 2, 9)).statusCode()).isEqualTo(200);

    assertThat(billion.listed(101)).containsExactly(1L);
    assertThat(billion.listed(202)).containsExactly(2L, 9L);
  }

  @Test
  void getListingsAnswersTheListedIds() throws Exception {
    billion.seed(101, List.of(30L, 10L, 20L));

    HttpResponse<String> listings = get("/v1/listings?companyId=101");
    HttpResponse<String> none = get("/v1/listings?companyId=999");

    assertThat(listings.statusCode()).isEqualTo(200);
    assertThat(json(listings))
        .isEqualTo(JSON.readTree("{\"companyId\":101,\"vehicleIds\":[10,20,30]}"));
    assertThat(json(none)).isEqualTo(JSON.readTree("{\"companyId\":999,\"vehicleIds\":[]}"));
    assertThat(get("/v1/listings").statusCode()).isEqualTo(400);
    assertThat(get("/v1/listings?companyId=abc").statusCode()).isEqualTo(400);
  }

  @Test
  void aWrongOrMissingApiKeyIsRefusedAndChangesNothing() throws Exception {
    billion.seed(101, List.of(1L));

    assertThat(send(call(WITHDRAW, 101, 1).withAuthorization("Bearer wrong")).statusCode())
        .isEqualTo(401);
    assertThat(send(call(WITHDRAW, 101, 1).withAuthorization(null)).statusCode()).isEqualTo(401);
    assertThat(send(call(WITHDRAW, 101, 1).withAuthorization(API_KEY)).statusCode())
        .as("the key without 'Bearer '")
        .isEqualTo(401);

    assertThat(billion.listed(101)).containsExactly(1L);
  }

  @Test
  void aWrongMissingOrStaleSignatureIsRefusedAndChangesNothing() throws Exception {
    billion.seed(101, List.of(1L));
    long now = Instant.now().getEpochSecond();

    assertThat(send(call(WITHDRAW, 101, 1).withSecret("another-secret")).statusCode())
        .as("signed with another secret")
        .isEqualTo(401);
    assertThat(send(call(WITHDRAW, 101, 1).withSecret(null)).statusCode())
        .as("no timestamp, no signature")
        .isEqualTo(401);
    Call signed = call(WITHDRAW, 101, 1);
    assertThat(send(signed, "{\"companyId\":101,\"vehicleIds\":[1,2]}").statusCode())
        .as("the body changed after signing")
        .isEqualTo(401);
    assertThat(send(call(WITHDRAW, 101, 1).withTimestamp(now - 400)).statusCode())
        .as("signed 400 s ago")
        .isEqualTo(401);
    assertThat(send(call(WITHDRAW, 101, 1).withTimestamp(now + 400)).statusCode())
        .as("signed 400 s ahead")
        .isEqualTo(401);
    assertThat(billion.listed(101)).containsExactly(1L);

    assertThat(send(call(WITHDRAW, 101, 1).withTimestamp(now - 200)).statusCode())
        .as("signed 200 s ago: within the tolerance")
        .isEqualTo(200);
    assertThat(billion.listed(101)).isEmpty();
  }

  @Test
  void badRequestsAreRefusedWith400() throws Exception {
    long[] hundredAndOne = LongStream.rangeClosed(1, 101).toArray();
    long[] hundred = LongStream.rangeClosed(1, 100).toArray();

    assertThat(send(call(PUBLISH, 101, hundredAndOne)).statusCode()).isEqualTo(400);
    assertThat(send(call(PUBLISH, 101)).statusCode()).as("no ids").isEqualTo(400);
    assertThat(send(call(PUBLISH, 101, 1).withKey(null)).statusCode())
        .as("no Idempotency-Key")
        .isEqualTo(400);
    for (String body :
        List.of(
            "not json",
            "{\"vehicleIds\":[1]}",
            "{\"companyId\":\"101\",\"vehicleIds\":[1]}",
            "{\"companyId\":101,\"vehicleIds\":[\"1\"]}",
            "{\"companyId\":101,\"vehicleIds\":[1.5]}")) {
      Call call = call(PUBLISH, 101, 1);
      Call malformed =
          new Call(
              call.path(),
              body,
              call.authorization(),
              call.secret(),
              call.timestamp(),
              call.idempotencyKey());
      assertThat(send(malformed).statusCode()).as(body).isEqualTo(400);
    }
    assertThat(billion.listed(101)).isEmpty();

    assertThat(send(call(PUBLISH, 101, hundred)).statusCode()).isEqualTo(200);
    assertThat(billion.listed(101)).hasSize(100);
  }

  @Test
  void aRepeatedIdempotencyKeyIsAnsweredLikeTheFirstCallOrRefusedForAnotherRequest()
      throws Exception {
    Call first = call(PUBLISH, 101, 1, 2).withKey("ban-1:publish:1-2");
    assertThat(send(first).statusCode()).isEqualTo(200);
    billion.seed(101, List.of(3L));

    HttpResponse<String> replay = send(first.withTimestamp(Instant.now().getEpochSecond()));

    assertThat(replay.statusCode()).isEqualTo(200);
    assertThat(json(replay))
        .as("the first answer")
        .isEqualTo(JSON.readTree("{\"companyId\":101,\"listed\":2}"));
    assertThat(send(call(PUBLISH, 101, 9).withKey("ban-1:publish:1-2")).statusCode())
        .as("same key, another body")
        .isEqualTo(422);
    assertThat(send(call(WITHDRAW, 101, 1, 2).withKey("ban-1:publish:1-2")).statusCode())
        .as("same key, another endpoint")
        .isEqualTo(422);
    assertThat(billion.listed(101)).containsExactly(1L, 2L, 3L);
  }

  @Test
  void failNextFailsTheNextCallsThenAcceptsThemAgain() throws Exception {
    billion.failNext(2, 503);
    Call retried = call(WITHDRAW, 101, 1);
    billion.seed(101, List.of(1L));

    assertThat(send(retried).statusCode()).isEqualTo(503);
    assertThat(send(retried).statusCode()).isEqualTo(503);
    assertThat(billion.listed(101)).as("nothing applied while failing").containsExactly(1L);
    assertThat(send(retried).statusCode()).as("the same key, retried").isEqualTo(200);
    assertThat(billion.listed(101)).isEmpty();
  }

  @Test
  void failAlwaysFailsEveryCallUntilReset() throws Exception {
    billion.failAlways(500);

    for (int i = 0; i < 3; i++) {
      assertThat(send(call(PUBLISH, 101, 1)).statusCode()).isEqualTo(500);
    }
    assertThat(billion.listed(101)).isEmpty();

    billion.reset();

    assertThat(send(call(PUBLISH, 101, 1)).statusCode()).isEqualTo(200);
    assertThat(billion.listed(101)).containsExactly(1L);
  }

  @Test
  void theControlEndpointPlansFailures() throws Exception {
    HttpResponse<String> planned = postControl("/control/fail-next?count=2&status=429");

    assertThat(planned.statusCode()).isEqualTo(200);
    assertThat(json(planned).get("planned").asInt()).isEqualTo(2);
    assertThat(send(call(PUBLISH, 101, 1)).statusCode()).isEqualTo(429);
    assertThat(send(call(PUBLISH, 101, 1)).statusCode()).isEqualTo(429);
    assertThat(send(call(PUBLISH, 101, 1)).statusCode()).isEqualTo(200);
    assertThat(postControl("/control/fail-next?count=x").statusCode()).isEqualTo(400);
  }

  @Test
  void receivedKeepsEveryCallWithItsHeadersBodyAndAnswer() throws Exception {
    Call accepted = call(PUBLISH, 101, 4, 5).withKey("unban-7:publish:4-5");
    send(accepted);
    send(call(WITHDRAW, 101, 4).withAuthorization("Bearer wrong"));

    List<MarketplaceFake.Received> received = billion.receivedChanges();

    assertThat(received).hasSize(2);
    MarketplaceFake.Received first = received.get(0);
    assertThat(first.method()).isEqualTo("POST");
    assertThat(first.path()).isEqualTo(PUBLISH);
    assertThat(first.body()).isEqualTo("{\"companyId\":101,\"vehicleIds\":[4,5]}");
    assertThat(first.header("authorization")).isEqualTo("Bearer " + API_KEY);
    assertThat(first.idempotencyKey()).isEqualTo("unban-7:publish:4-5");
    assertThat(first.header("X-Billion-Timestamp")).isEqualTo(Long.toString(accepted.timestamp()));
    assertThat(first.header("X-Billion-Signature")).startsWith("v1=").hasSize(67);
    assertThat(first.answeredStatus()).isEqualTo(200);
    assertThat(first.accepted()).isTrue();
    assertThat(received.get(1).path()).isEqualTo(WITHDRAW);
    assertThat(received.get(1).answeredStatus()).isEqualTo(401);
    assertThat(received.get(1).accepted()).isFalse();
  }

  @Test
  void resetForgetsEverything() throws Exception {
    billion.seed(101, List.of(1L));
    Call call = call(PUBLISH, 101, 2).withKey("k");
    send(call);
    billion.failNext(5, 503);

    billion.reset();

    assertThat(billion.received()).isEmpty();
    assertThat(billion.listed(101)).isEmpty();
    assertThat(
            send(call(PUBLISH, 101, 3).withKey("k").withTimestamp(call.timestamp())).statusCode())
        .as("no planned failure left, the key forgotten")
        .isEqualTo(200);
    assertThat(billion.listed(101)).containsExactly(3L);
  }

  @Test
  void unknownPathsAre404() throws Exception {
    assertThat(get("/v2/listings").statusCode()).isEqualTo(404);
    assertThat(send(new Call("/v1/listings/delete", "{}", null, null, 0, null)).statusCode())
        .isEqualTo(404);
  }

  @Test
  void concurrentCallsAreAllApplied() throws Exception {
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (long id = 1; id <= 200; id++) {
      Call call = call(PUBLISH, 101, id);
      String timestamp = Long.toString(call.timestamp());
      calls.add(
          http.sendAsync(
              HttpRequest.newBuilder(URI.create(billion.baseUrl() + PUBLISH))
                  .header("Authorization", call.authorization())
                  .header("Idempotency-Key", call.idempotencyKey())
                  .header("X-Billion-Timestamp", timestamp)
                  .header(
                      "X-Billion-Signature",
                      sign(SECRET, timestamp, call.body().getBytes(StandardCharsets.UTF_8)))
                  .POST(HttpRequest.BodyPublishers.ofString(call.body()))
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
    }

    for (CompletableFuture<HttpResponse<String>> call : calls) {
      assertThat(call.get().statusCode()).isEqualTo(200);
    }
    assertThat(billion.listed(101)).hasSize(200).startsWith(1L).endsWith(200L);
  }

  private Call booking(String bookingId, String decision, String body) {
    return new Call(
        "/v1/bookings/" + bookingId + "/" + decision,
        body,
        "Bearer " + API_KEY,
        SECRET,
        Instant.now().getEpochSecond(),
        "key-" + (++keys));
  }

  @Test
  void aConfirmationIsRecordedWithItsOrderAndKey() throws Exception {
    Call confirm = booking("bk_1", "confirm", "{\"orderId\":9000000000001}");

    HttpResponse<String> answer = send(confirm);

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(json(answer))
        .isEqualTo(JSON.readTree("{\"bookingId\":\"bk_1\",\"status\":\"confirmed\"}"));
    assertThat(billion.bookingAnswers())
        .containsExactly(
            new MarketplaceFake.BookingAnswer(
                "bk_1", "confirm", 9_000_000_000_001L, null, confirm.idempotencyKey()));
    assertThat(billion.receivedBookingAnswers()).hasSize(1);
  }

  @Test
  void aRejectionIsRecordedWithItsReason() throws Exception {
    assertThat(send(booking("bk_2", "reject", "{\"reason\":\"company_banned\"}")).statusCode())
        .isEqualTo(200);

    assertThat(billion.bookingAnswer("bk_2"))
        .hasValueSatisfying(
            answer -> {
              assertThat(answer.decision()).isEqualTo("reject");
              assertThat(answer.reason()).isEqualTo("company_banned");
              assertThat(answer.orderId()).isNull();
            });
  }

  @Test
  void theSameDecisionAgainIsAcceptedAndTheOtherOneIs409() throws Exception {
    Call confirm = booking("bk_3", "confirm", "{\"orderId\":7}");
    assertThat(send(confirm).statusCode()).isEqualTo(200);

    assertThat(send(confirm.withTimestamp(Instant.now().getEpochSecond())).statusCode())
        .as("a retry with the same key")
        .isEqualTo(200);
    assertThat(send(booking("bk_3", "confirm", "{\"orderId\":7}")).statusCode())
        .as("the same decision with another key")
        .isEqualTo(200);
    assertThat(send(booking("bk_3", "reject", "{\"reason\":\"late\"}")).statusCode())
        .as("the other decision")
        .isEqualTo(409);
    assertThat(billion.bookingAnswers()).hasSize(1);
    assertThat(billion.bookingAnswer("bk_3").orElseThrow().decision()).isEqualTo("confirm");
  }

  @Test
  void bookingAnswersAreCheckedLikeEveryOtherCall() throws Exception {
    assertThat(
            send(booking("bk_4", "confirm", "{\"orderId\":1}").withSecret("another-secret"))
                .statusCode())
        .isEqualTo(401);
    assertThat(
            send(booking("bk_4", "confirm", "{\"orderId\":1}").withAuthorization(null))
                .statusCode())
        .isEqualTo(401);
    assertThat(send(booking("bk_4", "confirm", "{\"orderId\":\"1\"}")).statusCode()).isEqualTo(400);
    assertThat(send(booking("bk_4", "reject", "{\"reason\":\" \"}")).statusCode()).isEqualTo(400);
    assertThat(send(booking("bk_4", "accept", "{}")).statusCode()).isEqualTo(404);
    billion.failNext(1, 503);
    assertThat(send(booking("bk_4", "confirm", "{\"orderId\":1}")).statusCode()).isEqualTo(503);

    assertThat(billion.bookingAnswers()).isEmpty();
    assertThat(billion.receivedBookingAnswers()).hasSize(6);
  }

  @Test
  void toStringKeepsTheSecretsOut() {
    assertThat(billion.toString()).contains(billion.baseUrl()).doesNotContain(API_KEY, SECRET);
  }
}
