package com.marketplace.jobs.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The purchase provider fake answers as the provider does: the key checked, every reference pending
 * until set, completed and failed with a reason, 404 for a forgotten one, planned failures, and the
 * calls counted; the same controls over HTTP for developers.
 */
class PurchaseProviderFakeTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newHttpClient();
  private PurchaseProviderFake fake;

  @BeforeEach
  void start() {
    fake = new PurchaseProviderFake("fake-key").start(0);
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  private HttpResponse<String> status(String reference, String key) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(fake.baseUrl() + "/v1/purchases/" + reference)).GET();
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String pathAndQuery) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(fake.baseUrl() + pathAndQuery))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void everyReferenceIsPendingUntilSetAndTheStatusFollowsWhatTheTestSays() throws Exception {
    JsonNode pending = JSON.readTree(status("pur-1", "fake-key").body());
    fake.complete("pur-1");
    fake.fail("pur-2", "payment_declined");

    assertThat(pending.path("reference").asText()).isEqualTo("pur-1");
    assertThat(pending.path("status").asText()).isEqualTo("pending");
    assertThat(JSON.readTree(status("pur-1", "fake-key").body()).path("status").asText())
        .isEqualTo("completed");
    JsonNode failed = JSON.readTree(status("pur-2", "fake-key").body());
    assertThat(failed.path("status").asText()).isEqualTo("failed");
    assertThat(failed.path("reason").asText()).isEqualTo("payment_declined");
    assertThat(fake.calls("pur-1")).hasSize(2);
    assertThat(fake.calls()).hasSize(3);
  }

  @Test
  void aWrongKeyIs401AndAForgottenReference404() throws Exception {
    fake.forget("pur-gone");

    assertThat(status("pur-1", "other-key").statusCode()).isEqualTo(401);
    assertThat(status("pur-1", null).statusCode()).isEqualTo(401);
    assertThat(status("pur-gone", "fake-key").statusCode()).isEqualTo(404);
    assertThat(fake.calls())
        .extracting(PurchaseProviderFake.Call::answeredStatus)
        .containsExactly(401, 401, 404);
  }

  @Test
  void plannedFailuresComeFirstThenNormalAnswers() throws Exception {
    fake.failNext(1, 503);

    assertThat(status("pur-1", "fake-key").statusCode()).isEqualTo(503);
    assertThat(status("pur-1", "fake-key").statusCode()).isEqualTo(200);
  }

  @Test
  void developersSetStatusesAndFailuresOverHttp() throws Exception {
    assertThat(post("/control/purchases/pur-9?status=failed&reason=kyc_missing").statusCode())
        .isEqualTo(200);
    assertThat(post("/control/purchases/pur-9?status=sold").statusCode()).isEqualTo(400);
    assertThat(post("/control/fail-next?count=1&status=502").statusCode()).isEqualTo(200);

    assertThat(status("pur-9", "fake-key").statusCode()).isEqualTo(502);
    JsonNode failed = JSON.readTree(status("pur-9", "fake-key").body());
    assertThat(failed.path("status").asText()).isEqualTo("failed");
    assertThat(failed.path("reason").asText()).isEqualTo("kyc_missing");
  }
}
