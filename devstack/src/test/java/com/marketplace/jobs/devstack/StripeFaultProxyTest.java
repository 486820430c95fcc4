package com.marketplace.jobs.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The recording, fault-injecting proxy in front of a real stripe-mock (from .tools/bin). */
class StripeFaultProxyTest {

  private static final String CAPTURE = "/v1/payment_intents/pi_proxy_test/capture";

  private static StripeMock stripeMock;
  private StripeFaultProxy proxy;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void startStripeMock() {
    stripeMock = StripeMock.startOnFreePort(Path.of("target"));
  }

  @AfterAll
  static void stopStripeMock() {
    stripeMock.close();
  }

  @BeforeEach
  void startProxy() {
    proxy = new StripeFaultProxy(stripeMock.baseUrl(), Duration.ofSeconds(2)).start(0);
  }

  @AfterEach
  void stopProxy() {
    proxy.close();
  }

  private HttpResponse<String> capture(String idempotencyKey, Duration timeout) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(proxy.baseUrl() + CAPTURE))
            .timeout(timeout)
            .header("Authorization", "Bearer sk_test_proxy")
            .header("Idempotency-Key", idempotencyKey)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(""))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void forwardsToStripeMockAndRecordsTheRequest() throws Exception {
    HttpResponse<String> response = capture("capture-evt_1", Duration.ofSeconds(10));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("\"object\":\"payment_intent\"");
    assertThat(proxy.receivedFor("POST", CAPTURE))
        .singleElement()
        .satisfies(
            call -> {
              assertThat(call.header("Idempotency-Key")).isEqualTo("capture-evt_1");
              assertThat(call.header("authorization")).isEqualTo("Bearer sk_test_proxy");
              assertThat(call.answeredStatus()).isEqualTo(200);
            });
  }

  @Test
  void theRequestListingShowsNoApiKey() throws Exception {
    capture("capture-evt_2", Duration.ofSeconds(10));

    HttpResponse<String> listing =
        http.send(
            HttpRequest.newBuilder(URI.create(proxy.baseUrl() + "/control/requests")).build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(listing.body()).contains("capture-evt_2").contains("Bearer sk_test_…");
    assertThat(listing.body()).doesNotContain("sk_test_proxy");
  }

  @Test
  void plannedStatusesAreAnsweredWithoutForwardingThenCallsPassAgain() throws Exception {
    proxy.failNext(1, 500);
    proxy.failNext(1, 429);

    assertThat(capture("k", Duration.ofSeconds(10)).statusCode()).isEqualTo(500);
    HttpResponse<String> throttled = capture("k", Duration.ofSeconds(10));
    assertThat(throttled.statusCode()).isEqualTo(429);
    assertThat(throttled.body()).contains("rate_limit_error");
    assertThat(capture("k", Duration.ofSeconds(10)).statusCode()).isEqualTo(200);
    assertThat(proxy.received())
        .extracting(StripeFaultProxy.Received::answeredStatus)
        .containsExactly(500, 429, 200);
  }

  @Test
  void aPlannedTimeoutHoldsTheAnswerBackLongerThanTheClientWaits() {
    proxy.failNext(1, StripeFaultProxy.TIMEOUT);

    assertThatThrownBy(() -> capture("k", Duration.ofMillis(500)))
        .isInstanceOf(HttpTimeoutException.class);
    assertThat(proxy.received())
        .extracting(StripeFaultProxy.Received::answeredStatus)
        .containsExactly(StripeFaultProxy.TIMEOUT);
  }
}
