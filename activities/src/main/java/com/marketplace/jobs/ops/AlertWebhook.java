package com.marketplace.jobs.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.marketplace.jobs.http.OutboundHttp;
import com.marketplace.jobs.http.ProviderFailures;
import java.util.Map;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

/**
 * POSTs JSON to {@code jobs.alerts.webhook-url}: a Slack incoming webhook, or anything that takes
 * the same payload. 2xx is delivered; 429, 5xx and no answer are retryable failures, other 4xx not.
 */
@Component
class AlertWebhook {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final RestClient client;
  private final AlertsProperties properties;

  AlertWebhook(AlertsProperties properties) {
    this.properties = properties;
    this.client =
        RestClient.builder()
            .requestFactory(
                OutboundHttp.requestFactory(
                    OutboundHttp.Deadlines.uniform(properties.webhookTimeout()), 20))
            .build();
  }

  void post(Map<String, Object> payload) {
    String body;
    try {
      body = JSON.writeValueAsString(payload);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the alert payload is not JSON", e);
    }
    try {
      client
          .post()
          .uri(properties.webhookUrl())
          .contentType(MediaType.APPLICATION_JSON)
          .body(body)
          .exchange(
              (request, response) -> {
                HttpStatusCode status = response.getStatusCode();
                if (status.is2xxSuccessful()) {
                  return null;
                }
                throw ProviderFailures.forStatus("Alert webhook", "the alert", status.value());
              });
    } catch (ResourceAccessException e) {
      throw ProviderFailures.unreachable(
          "Alert webhook unreachable: " + e.getMostSpecificCause().getClass().getSimpleName(),
          null);
    }
  }
}
