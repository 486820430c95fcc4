package com.marketplace.jobs.marketplace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.failure.ApplicationFailure;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.MediaType;

class BillionMarketplaceClientTest {

  private static final String API_KEY = "bln_live_4f9c2a7e1d";
  private static final String SIGNING_SECRET = "billion-signing-secret-0123";
  private static final String KEY = "company_ban-6f1c2b8e-3d4a-4c5b-9e7f-0a1b2c3d4e5f:withdraw:1-3";
  private static final ObjectMapper JSON = new ObjectMapper();

  private MockWebServer billion;

  @BeforeEach
  void startBillion() throws Exception {
    billion = new MockWebServer();
    billion.start();
  }

  @AfterEach
  void stopBillion() {
    billion.close();
  }

  private BillionMarketplaceClient client(String basePath, Duration timeout) {
    URI baseUrl =
        URI.create("http://" + billion.getHostName() + ":" + billion.getPort() + basePath);
    return new BillionMarketplaceClient(
        new MarketplaceProperties(baseUrl, API_KEY, SIGNING_SECRET, timeout));
  }

  private BillionMarketplaceClient client() {
    return client("", Duration.ofSeconds(5));
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse.Builder()
        .code(code)
        .addHeader("Content-Type", "application/json")
        .body(body)
        .build();
  }

  private RecordedRequest takeRequest() throws InterruptedException {
    RecordedRequest request = billion.takeRequest(5, TimeUnit.SECONDS);
    assertThat(request).as("a request reached Billion").isNotNull();
    return request;
  }

  /** The signature as the contract defines it, computed here independently of the client. */
  private static String expectedSignature(String timestamp, byte[] body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SIGNING_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
    return "v1=" + HexFormat.of().formatHex(mac.doFinal(body));
  }

  private void assertSignedRequest(
      RecordedRequest request, String path, long companyId, List<Long> ids, String key)
      throws Exception {
    long now = Instant.now().getEpochSecond();
    assertThat(request.getMethod()).isEqualTo("POST");
    assertThat(request.getUrl().encodedPath()).isEqualTo(path);
    assertThat(request.getUrl().query()).isNull();
    assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer " + API_KEY);
    assertThat(request.getHeaders().values("Idempotency-Key")).containsExactly(key);
    MediaType contentType = MediaType.parseMediaType(request.getHeaders().get("Content-Type"));
    assertThat(contentType.equalsTypeAndSubtype(MediaType.APPLICATION_JSON))
        .as("Content-Type %s", contentType)
        .isTrue();

    byte[] body = request.getBody().toByteArray();
    String expectedJson =
        "{\"companyId\": "
            + companyId
            + ", \"vehicleIds\": "
            + ids.stream().map(String::valueOf).collect(Collectors.joining(", ", "[", "]"))
            + "}";
    assertThat(JSON.readTree(body)).isEqualTo(JSON.readTree(expectedJson));

    String timestamp = request.getHeaders().get("X-Billion-Timestamp");
    assertThat(timestamp).as("unix seconds").matches("[0-9]+");
    assertThat(Long.parseLong(timestamp)).as("timestamp close to now").isBetween(now - 5, now + 1);
    assertThat(request.getHeaders().get("X-Billion-Signature"))
        .as("HMAC-SHA256 over timestamp + '.' + the body as received")
        .isEqualTo(expectedSignature(timestamp, body));
  }

  @Test
  void withdrawPostsASignedJsonRequestToTheWithdrawEndpoint() throws Exception {
    billion.enqueue(json(200, "{\"companyId\":101,\"listed\":0}"));

    client().withdraw(101, List.of(1L, 2L, 3L), KEY);

    assertSignedRequest(takeRequest(), "/v1/listings/withdraw", 101, List.of(1L, 2L, 3L), KEY);
    assertThat(billion.getRequestCount()).isEqualTo(1);
  }

  @Test
  void listPostsASignedJsonRequestToThePublishEndpoint() throws Exception {
    billion.enqueue(json(200, "{\"companyId\":202,\"listed\":2}"));

    client().list(202, List.of(9_000_000_001L, 7L), "unban-42:publish:7-9000000001");

    assertSignedRequest(
        takeRequest(),
        "/v1/listings/publish",
        202,
        List.of(9_000_000_001L, 7L),
        "unban-42:publish:7-9000000001");
  }

  @Test
  void theBodyIsCompactJsonInTheCallersOrder() throws Exception {
    billion.enqueue(json(200, "{}"));

    client().withdraw(101, List.of(30L, 10L, 20L), KEY);

    assertThat(takeRequest().getBody().utf8())
        .isEqualTo("{\"companyId\":101,\"vehicleIds\":[30,10,20]}");
  }

  @Test
  void theSignatureMatchesAKnownVector() {
    // Computed with: printf '%s' '1767225600.{"companyId":101,"vehicleIds":[1,2]}'
    //   | openssl dgst -sha256 -hmac 'billion-signing-secret-0123'
    String signature =
        BillionMarketplaceClient.signature(
            new SecretKeySpec(SIGNING_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"),
            "1767225600",
            "{\"companyId\":101,\"vehicleIds\":[1,2]}".getBytes(StandardCharsets.UTF_8));

    assertThat(signature)
        .isEqualTo("v1=cd1e2da6935acff33d37823e8be897f41f250e94165e3fa1e15cb4c512642851");
  }

  @Test
  void aBaseUrlWithAPathPrefixKeepsThePrefix() throws Exception {
    billion.enqueue(json(200, "{}"));

    client("/billion/", Duration.ofSeconds(5)).withdraw(101, List.of(1L), KEY);

    assertThat(takeRequest().getUrl().encodedPath()).isEqualTo("/billion/v1/listings/withdraw");
  }

  @ParameterizedTest
  @ValueSource(ints = {200, 202, 204})
  void anySuccessStatusIsDone(int status) {
    billion.enqueue(
        status == 204 ? new MockResponse.Builder().code(204).build() : json(status, "{}"));

    client().list(101, List.of(1L), KEY);

    assertThat(billion.getRequestCount()).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 401, 403, 404, 409, 422})
  void aClientErrorIsANonRetryableRejectionWithoutBillionsAnswer(int status) {
    billion.enqueue(json(status, "{\"error\":\"owner jane.doe@example.org has no vehicle 7\"}"));

    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class, () -> client().withdraw(101, List.of(7L), KEY));

    assertThat(failure).as("an ApplicationFailure for HTTP %d", status).isNotNull();
    assertThat(failure.getType()).isEqualTo("PROVIDER_REJECTED");
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .isEqualTo("Marketplace refused the request: HTTP " + status);
    assertThat(failure.getMessage()).doesNotContain("jane.doe").doesNotContain("owner");
    assertThat(billion.getRequestCount()).isEqualTo(1);
  }

  @Test
  void aRedirectIsNotFollowedAndIsARejection() {
    billion.enqueue(
        new MockResponse.Builder().code(307).addHeader("Location", "/elsewhere").build());

    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class, () -> client().withdraw(101, List.of(7L), KEY));

    assertThat(failure).isNotNull();
    assertThat(failure.getType()).isEqualTo("PROVIDER_REJECTED");
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).isEqualTo("Marketplace refused the request: HTTP 307");
    assertThat(billion.getRequestCount()).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(ints = {429, 500, 502, 503})
  void throttlingAndServerErrorsAreRetryable(int status) {
    billion.enqueue(json(status, "{\"error\":\"try again later, jane.doe@example.org\"}"));

    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> client().list(101, List.of(7L), KEY));

    assertThat(failure).as("an ApplicationFailure for HTTP %d", status).isNotNull();
    assertThat(failure.getType()).isEqualTo("PROVIDER_UNAVAILABLE");
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getOriginalMessage()).isEqualTo("Marketplace answered HTTP " + status);
    assertThat(failure.getMessage()).doesNotContain("jane.doe");
    assertThat(billion.getRequestCount()).isEqualTo(1);
  }

  @Test
  void aResponseSlowerThanTheTimeoutIsRetryable() {
    billion.enqueue(
        new MockResponse.Builder()
            .code(200)
            .addHeader("Content-Type", "application/json")
            .body("{}")
            .headersDelay(10, TimeUnit.SECONDS)
            .build());
    BillionMarketplaceClient client = client("", Duration.ofMillis(300));

    long started = System.nanoTime();
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class, () -> client.withdraw(101, List.of(1L), KEY));
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(failure).as("a late answer is a failure").isNotNull();
    assertThat(failure.getType()).isEqualTo("PROVIDER_UNAVAILABLE");
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getOriginalMessage())
        .isEqualTo("Marketplace unreachable: SocketTimeoutException");
    assertThat(took)
        .as("gave up at the timeout, not when Billion answered")
        .isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void anUnreachableBillionIsRetryable() {
    BillionMarketplaceClient client = client();
    billion.close(); // nothing listens on the port any more

    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> client.list(101, List.of(1L), KEY));

    assertThat(failure).isNotNull();
    assertThat(failure.getType()).isEqualTo("PROVIDER_UNAVAILABLE");
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getOriginalMessage()).startsWith("Marketplace unreachable: ");
  }

  @Test
  void aHundredIdsGoInOneCall() throws Exception {
    billion.enqueue(json(200, "{}"));
    List<Long> hundred = LongStream.rangeClosed(1, 100).boxed().toList();

    client().withdraw(101, hundred, KEY);

    assertSignedRequest(takeRequest(), "/v1/listings/withdraw", 101, hundred, KEY);
  }

  @Test
  void moreThanAHundredIdsAreRefusedWithoutACall() {
    List<Long> tooMany = LongStream.rangeClosed(1, 101).boxed().toList();

    assertThatIllegalArgumentException()
        .isThrownBy(() -> client().withdraw(101, tooMany, KEY))
        .withMessageContaining("101");
    assertThatIllegalArgumentException().isThrownBy(() -> client().list(101, tooMany, KEY));
    assertThat(billion.getRequestCount()).isZero();
  }

  @Test
  void badArgumentsAreRefusedWithoutACall() {
    List<Long> withNull = new ArrayList<>(Arrays.asList(1L, null));

    assertThatIllegalArgumentException().isThrownBy(() -> client().withdraw(101, withNull, KEY));
    assertThatIllegalArgumentException().isThrownBy(() -> client().withdraw(101, null, KEY));
    for (String badKey : new String[] {null, "", " ", "with space", "ключ", "x".repeat(256)}) {
      assertThatIllegalArgumentException()
          .as("idempotency key %s", badKey)
          .isThrownBy(() -> client().list(101, List.of(1L), badKey));
    }
    assertThat(billion.getRequestCount()).isZero();
  }

  @Test
  void anEmptyListIsANoOp() {
    client().withdraw(101, List.of(), KEY);
    client().list(101, List.of(), KEY);

    assertThat(billion.getRequestCount()).isZero();
  }

  /** The headers and signature of a booking answer; the body as JSON. */
  private void assertSignedBookingAnswer(
      RecordedRequest request, String path, String expectedJson, String key) throws Exception {
    long now = Instant.now().getEpochSecond();
    assertThat(request.getMethod()).isEqualTo("POST");
    assertThat(request.getUrl().encodedPath()).isEqualTo(path);
    assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer " + API_KEY);
    assertThat(request.getHeaders().values("Idempotency-Key")).containsExactly(key);
    byte[] body = request.getBody().toByteArray();
    assertThat(JSON.readTree(body)).isEqualTo(JSON.readTree(expectedJson));
    String timestamp = request.getHeaders().get("X-Billion-Timestamp");
    assertThat(Long.parseLong(timestamp)).isBetween(now - 5, now + 1);
    assertThat(request.getHeaders().get("X-Billion-Signature"))
        .isEqualTo(expectedSignature(timestamp, body));
  }

  @Test
  void confirmBookingPostsTheOrderIdSignedToTheBookingsConfirmEndpoint() throws Exception {
    billion.enqueue(json(200, "{\"bookingId\":\"bk_1\",\"status\":\"confirmed\"}"));

    client().confirmBooking("bk_1", 9_000_000_000_001L, "booking-confirm-evt_1");

    assertSignedBookingAnswer(
        takeRequest(),
        "/v1/bookings/bk_1/confirm",
        "{\"orderId\": 9000000000001}",
        "booking-confirm-evt_1");
  }

  @Test
  void rejectBookingPostsTheReasonSignedToTheBookingsRejectEndpointWithTheIdEncoded()
      throws Exception {
    billion.enqueue(json(200, "{}"));

    client("/api", Duration.ofSeconds(5))
        .rejectBooking("bk:2", "company_banned", "booking-reject-evt_2");

    assertSignedBookingAnswer(
        takeRequest(),
        "/api/v1/bookings/bk%3A2/reject",
        "{\"reason\": \"company_banned\"}",
        "booking-reject-evt_2");
  }

  @Test
  void bookingAnswersMapStatusesLikeEveryOtherCall() {
    billion.enqueue(json(409, "{}"));
    billion.enqueue(json(503, "{}"));

    ApplicationFailure conflict =
        catchThrowableOfType(
            ApplicationFailure.class, () -> client().confirmBooking("bk_3", 1, "k-1"));
    ApplicationFailure outage =
        catchThrowableOfType(
            ApplicationFailure.class, () -> client().rejectBooking("bk_3", "late", "k-2"));

    assertThat(conflict.getType()).isEqualTo("PROVIDER_REJECTED");
    assertThat(conflict.isNonRetryable()).isTrue();
    assertThat(outage.getType()).isEqualTo("PROVIDER_UNAVAILABLE");
    assertThat(outage.isNonRetryable()).isFalse();
  }

  @Test
  void badBookingArgumentsAreRefusedWithoutACall() {
    assertThatIllegalArgumentException().isThrownBy(() -> client().confirmBooking(" ", 1, "k"));
    assertThatIllegalArgumentException().isThrownBy(() -> client().confirmBooking("bk", 1, " "));
    assertThatIllegalArgumentException().isThrownBy(() -> client().rejectBooking("bk", "", "k"));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> client().rejectBooking(null, "late", "k"));
    assertThat(billion.getRequestCount()).isZero();
  }

  @Test
  void thePropertiesNeverPrintTheSecrets() {
    MarketplaceProperties properties =
        new MarketplaceProperties(
            URI.create("https://api.billion.example"),
            API_KEY,
            SIGNING_SECRET,
            Duration.ofSeconds(10));

    assertThat(properties.toString())
        .contains("https://api.billion.example")
        .doesNotContain(API_KEY)
        .doesNotContain(SIGNING_SECRET);
  }
}
