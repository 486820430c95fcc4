package com.marketplace.jobs.purchases;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.marketplace.jobs.http.OutboundHttp;
import com.marketplace.jobs.http.OutboundHttpProperties;
import com.marketplace.jobs.http.ProviderFailures;
import java.io.IOException;
import java.util.Locale;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

/**
 * The purchase provider's HTTP API: {@code GET {baseUrl}/v1/purchases/{reference}} with {@code
 * Authorization: Bearer <apiKey>}, answered {@code 200 {"reference": "...", "status":
 * "pending|completed|failed", "reason": "..."}}. 2xx with a known status is the purchase's status;
 * 429, 5xx, network errors and timeouts are retryable; 401 and 403 fail for good (our key, so no
 * purchase can be checked); any other status (404 for an unknown reference, a redirect: none is
 * followed) and a 2xx that is not a purchase status are a refusal for this one purchase. Messages
 * carry the HTTP status and our own words only, never the provider's body.
 */
@Component
class HttpPurchaseProvider implements PurchaseProvider {

  static final String STATUS_PATH = "/v1/purchases/{reference}";

  /** The longest failure reason kept from the provider's answer. */
  static final int MAX_REASON_LENGTH = 200;

  private static final String PROVIDER = "Purchase provider";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final RestClient provider;

  /**
   * With the worker's default pool ({@link OutboundHttpProperties#WORKER_DEFAULT}): tests, tools.
   */
  HttpPurchaseProvider(PurchaseProperties properties) {
    this(properties, OutboundHttpProperties.WORKER_DEFAULT);
  }

  @Autowired
  HttpPurchaseProvider(PurchaseProperties properties, OutboundHttpProperties http) {
    this.provider =
        RestClient.builder()
            .baseUrl(properties.baseUrl().toString())
            .requestFactory(
                OutboundHttp.requestFactory(
                    OutboundHttp.Deadlines.uniform(properties.timeout()), http.maxConnections()))
            .defaultHeaders(headers -> headers.setBearerAuth(properties.apiKey()))
            .build();
  }

  @Override
  public Answer status(String reference) {
    if (reference == null
        || reference.isBlank()
        || reference.length() > MAX_REFERENCE_LENGTH
        || !reference.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      return new Refused(0, "not a provider reference (1-200 visible ASCII characters)");
    }
    try {
      return provider
          .get()
          .uri(STATUS_PATH, reference)
          .accept(MediaType.APPLICATION_JSON)
          .exchange(
              (request, response) -> {
                int status = response.getStatusCode().value();
                if (response.getStatusCode().is2xxSuccessful()) {
                  return parse(reference, response.getBody().readAllBytes());
                }
                if (ProviderFailures.retryable(status) || status == 401 || status == 403) {
                  throw ProviderFailures.forStatus(PROVIDER, "our credentials", status);
                }
                return new Refused(status, PROVIDER + " refused the purchase: HTTP " + status);
              });
    } catch (ResourceAccessException e) {
      throw ProviderFailures.unreachable(
          PROVIDER + " unreachable: " + e.getMostSpecificCause().getClass().getSimpleName(), null);
    }
  }

  private static Answer parse(String reference, byte[] body) {
    JsonNode json;
    try {
      json = JSON.readTree(body);
    } catch (IOException e) {
      return new Refused(200, PROVIDER + " answered HTTP 200 with a body that is not JSON");
    }
    if (json == null || !json.isObject()) {
      return new Refused(200, PROVIDER + " answered HTTP 200 without a purchase");
    }
    JsonNode answeredReference = json.get("reference");
    if (answeredReference != null
        && answeredReference.isTextual()
        && !answeredReference.asText().equals(reference)) {
      return new Refused(200, PROVIDER + " answered about another purchase");
    }
    JsonNode status = json.get("status");
    Status parsed;
    try {
      parsed =
          status == null || !status.isTextual()
              ? null
              : Status.valueOf(status.asText().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException unknown) {
      parsed = null;
    }
    if (parsed == null) {
      return new Refused(200, PROVIDER + " answered HTTP 200 with an unknown purchase status");
    }
    JsonNode reason = json.get("reason");
    String text = reason == null || !reason.isTextual() ? null : reason.asText().strip();
    if (text != null && text.length() > MAX_REASON_LENGTH) {
      text = text.substring(0, MAX_REASON_LENGTH);
    }
    return new Known(parsed, text == null || text.isEmpty() ? null : text);
  }
}
