package com.marketplace.jobs.notifications;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.marketplace.jobs.common.FailureType;
import com.marketplace.jobs.http.OutboundHttp;
import com.marketplace.jobs.http.OutboundHttpProperties;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

/**
 * Sends through Mailgun's HTTP API: {@code POST {baseUrl}/v3/{domain}/messages}, form-encoded,
 * basic auth {@code api:<key>}. 429 and 5xx and network errors are retryable; any other 4xx is not
 * (a bad address or a suspended domain does not heal). Error messages carry the HTTP status only:
 * Mailgun's error bodies can echo the recipient's address.
 */
@Component
class MailgunMailSender implements MailSender {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Logger log = LoggerFactory.getLogger(MailgunMailSender.class);

  /**
   * Recorded when Mailgun answers 2xx without a readable id: the message was accepted, so the job
   * must not retry (that would send it twice); the delivery row says the id is unknown.
   */
  static final String ACCEPTED_WITHOUT_ID = "(accepted; Mailgun returned no id)";

  private final RestClient mailgun;
  private final String messagesPath;
  private final String from;

  MailgunMailSender(MailgunProperties properties, OutboundHttpProperties http) {
    this.mailgun =
        RestClient.builder()
            .baseUrl(properties.baseUrl().toString())
            .requestFactory(
                OutboundHttp.requestFactory(
                    OutboundHttp.Deadlines.uniform(properties.timeout()), http.maxConnections()))
            .defaultHeaders(headers -> headers.setBasicAuth("api", properties.apiKey()))
            .build();
    this.messagesPath = "/v3/" + properties.domain() + "/messages";
    this.from = properties.from();
  }

  @Override
  public String send(OutgoingEmail email) {
    MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
    form.add("from", from);
    form.add("to", email.to());
    form.add("subject", email.subject());
    form.add("text", email.text());
    form.add("html", email.html());
    form.add("o:tag", email.tag());
    form.add("v:job-id", email.jobId());
    try {
      return mailgun
          .post()
          .uri(messagesPath)
          .contentType(MediaType.APPLICATION_FORM_URLENCODED)
          .body(form)
          .exchange(
              (request, response) -> {
                HttpStatusCode status = response.getStatusCode();
                String body = new String(response.getBody().readAllBytes(), StandardCharsets.UTF_8);
                if (status.is2xxSuccessful()) {
                  return messageId(body);
                }
                throw failureFor(status.value());
              });
    } catch (ResourceAccessException e) {
      throw ApplicationFailure.newFailure(
          "Mailgun unreachable: " + e.getMostSpecificCause().getClass().getSimpleName(),
          FailureType.PROVIDER_UNAVAILABLE.name());
    }
  }

  private static String messageId(String body) {
    try {
      JsonNode id = JSON.readTree(body).get("id");
      if (id != null && !id.asText().isBlank()) {
        return id.asText();
      }
    } catch (IOException e) {
      // Not JSON: handled below like a missing id.
    }
    log.warn("Mailgun accepted a message but its answer carried no message id");
    return ACCEPTED_WITHOUT_ID;
  }

  static ApplicationFailure failureFor(int status) {
    if (status == 429 || status >= 500) {
      return ApplicationFailure.newFailure(
          "Mailgun answered HTTP " + status, FailureType.PROVIDER_UNAVAILABLE.name());
    }
    return ApplicationFailure.newNonRetryableFailure(
        "Mailgun refused the message: HTTP " + status, FailureType.PROVIDER_REJECTED.name());
  }
}
