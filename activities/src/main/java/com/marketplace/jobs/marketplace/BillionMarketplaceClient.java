package com.marketplace.jobs.marketplace;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.marketplace.jobs.http.OutboundHttp;
import com.marketplace.jobs.http.OutboundHttpProperties;
import com.marketplace.jobs.http.ProviderFailures;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

/**
 * Billion's listings API: {@code POST {baseUrl}/v1/listings/withdraw} and {@code POST
 * {baseUrl}/v1/listings/publish}, JSON body {@code {"companyId": 101, "vehicleIds": [1, 2]}}, and
 * its bookings API: {@code POST {baseUrl}/v1/bookings/{bookingId}/confirm {"orderId":
 * 9000000000001}} and {@code .../reject {"reason": "company_banned"}}. Every call carries the
 * headers {@code Authorization: Bearer <apiKey>}, {@code Idempotency-Key}, {@code
 * X-Billion-Timestamp} (unix seconds) and {@code X-Billion-Signature: v1=<hex HMAC-SHA256 over
 * "<timestamp>.<body>">}. 2xx is done; 429, 5xx, network errors and timeouts are retryable; any
 * other status (4xx, or a redirect: none is followed) is not. Error messages carry the HTTP status
 * only, never Billion's answer.
 */
@Component
class BillionMarketplaceClient implements MarketplaceClient {

  static final String WITHDRAW_PATH = "/v1/listings/withdraw";
  static final String PUBLISH_PATH = "/v1/listings/publish";
  static final String CONFIRM_PATH = "/v1/bookings/{id}/confirm";
  static final String REJECT_PATH = "/v1/bookings/{id}/reject";
  static final String TIMESTAMP_HEADER = "X-Billion-Timestamp";
  static final String SIGNATURE_HEADER = "X-Billion-Signature";
  static final String IDEMPOTENCY_KEY_HEADER = "Idempotency-Key";

  /** Idempotency keys are 1-255 visible ASCII characters (they travel as a header value). */
  static final int MAX_IDEMPOTENCY_KEY_LENGTH = 255;

  private static final String HMAC = "HmacSHA256";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final RestClient billion;
  private final SecretKeySpec signingKey;

  /**
   * With the worker's default pool ({@link OutboundHttpProperties#WORKER_DEFAULT}): tests, tools.
   */
  BillionMarketplaceClient(MarketplaceProperties properties) {
    this(properties, OutboundHttpProperties.WORKER_DEFAULT);
  }

  @Autowired
  BillionMarketplaceClient(MarketplaceProperties properties, OutboundHttpProperties http) {
    this.billion =
        RestClient.builder()
            .baseUrl(properties.baseUrl().toString())
            .requestFactory(
                OutboundHttp.requestFactory(
                    OutboundHttp.Deadlines.uniform(properties.timeout()), http.maxConnections()))
            .defaultHeaders(headers -> headers.setBearerAuth(properties.apiKey()))
            .build();
    this.signingKey =
        new SecretKeySpec(properties.signingSecret().getBytes(StandardCharsets.UTF_8), HMAC);
  }

  @Override
  public void withdraw(long companyId, List<Long> vehicleIds, String idempotencyKey) {
    changeListings(WITHDRAW_PATH, companyId, vehicleIds, idempotencyKey);
  }

  @Override
  public void list(long companyId, List<Long> vehicleIds, String idempotencyKey) {
    changeListings(PUBLISH_PATH, companyId, vehicleIds, idempotencyKey);
  }

  @Override
  public void confirmBooking(String bookingId, long orderId, String idempotencyKey) {
    checkBooking(bookingId, idempotencyKey);
    ObjectNode body = JSON.createObjectNode();
    body.put("orderId", orderId);
    post(CONFIRM_PATH, bookingId, body, idempotencyKey);
  }

  @Override
  public void rejectBooking(String bookingId, String reason, String idempotencyKey) {
    checkBooking(bookingId, idempotencyKey);
    if (reason == null || reason.isBlank()) {
      throw new IllegalArgumentException("a rejection needs a reason");
    }
    ObjectNode body = JSON.createObjectNode();
    body.put("reason", reason);
    post(REJECT_PATH, bookingId, body, idempotencyKey);
  }

  private void changeListings(
      String path, long companyId, List<Long> vehicleIds, String idempotencyKey) {
    checkArguments(vehicleIds, idempotencyKey);
    if (vehicleIds.isEmpty()) {
      return;
    }
    ObjectNode body = JSON.createObjectNode();
    body.put("companyId", companyId);
    ArrayNode ids = body.putArray("vehicleIds");
    vehicleIds.forEach(ids::add);
    post(path, null, body, idempotencyKey);
  }

  /**
   * One signed call. {@code path} may hold one {@code {id}} variable, filled (encoded) with {@code
   * pathId}.
   */
  private void post(String path, String pathId, ObjectNode json, String idempotencyKey) {
    // The signature covers these exact bytes, so they are serialized here and sent as they are.
    byte[] body = bytes(json);
    String timestamp = Long.toString(Instant.now().getEpochSecond());
    try {
      billion
          .post()
          .uri(path, pathId == null ? new Object[0] : new Object[] {pathId})
          .contentType(MediaType.APPLICATION_JSON)
          .accept(MediaType.APPLICATION_JSON)
          .header(IDEMPOTENCY_KEY_HEADER, idempotencyKey)
          .header(TIMESTAMP_HEADER, timestamp)
          .header(SIGNATURE_HEADER, signature(signingKey, timestamp, body))
          .body(body)
          .exchange(
              (request, response) -> {
                HttpStatusCode status = response.getStatusCode();
                if (status.is2xxSuccessful()) {
                  return null;
                }
                throw failureFor(status.value());
              });
    } catch (ResourceAccessException e) {
      throw ProviderFailures.unreachable(
          "Marketplace unreachable: " + e.getMostSpecificCause().getClass().getSimpleName(), null);
    }
  }

  private static void checkBooking(String bookingId, String idempotencyKey) {
    if (bookingId == null || bookingId.isBlank()) {
      throw new IllegalArgumentException("bookingId must not be blank");
    }
    checkKey(idempotencyKey);
  }

  private static void checkArguments(List<Long> vehicleIds, String idempotencyKey) {
    if (vehicleIds == null) {
      throw new IllegalArgumentException("vehicleIds must not be null");
    }
    if (vehicleIds.size() > MAX_VEHICLES_PER_CALL) {
      throw new IllegalArgumentException(
          "At most "
              + MAX_VEHICLES_PER_CALL
              + " vehicle ids per marketplace call, not "
              + vehicleIds.size());
    }
    // Not contains(null): immutable lists throw on it.
    if (vehicleIds.stream().anyMatch(Objects::isNull)) {
      throw new IllegalArgumentException("vehicleIds must not contain null");
    }
    checkKey(idempotencyKey);
  }

  private static void checkKey(String idempotencyKey) {
    if (idempotencyKey == null
        || idempotencyKey.isEmpty()
        || idempotencyKey.length() > MAX_IDEMPOTENCY_KEY_LENGTH
        || !idempotencyKey.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw new IllegalArgumentException(
          "The idempotency key must be 1-"
              + MAX_IDEMPOTENCY_KEY_LENGTH
              + " visible ASCII characters");
    }
  }

  private static byte[] bytes(ObjectNode body) {
    try {
      return JSON.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code v1=} and the lowercase hex HMAC-SHA256 of {@code "<timestamp>.<body bytes>"}. */
  static String signature(SecretKeySpec key, String timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance(HMAC); // not thread-safe: one per call
      mac.init(key);
      mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
      return "v1=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  static ApplicationFailure failureFor(int status) {
    return ProviderFailures.forStatus("Marketplace", "the request", status);
  }
}
