package com.marketplace.jobs.notifications;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.marketplace.jobs.common.FailureType;
import com.marketplace.jobs.http.OutboundHttp;
import com.marketplace.jobs.http.OutboundHttpProperties;
import com.marketplace.jobs.http.ProviderFailures;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLHandshakeException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

/**
 * Sends through Mailgun's HTTP API: {@code POST {baseUrl}/v3/{domain}/messages}, form-encoded,
 * basic auth {@code api:<key>}, and at most once per job id (one email) or batch id (one email to
 * up to 1,000 recipients, {@link #sendBatch}).
 *
 * <p><b>Once per job.</b> Mailgun has no idempotency key, but every email carries its job id as the
 * variable {@code v:job-id}. Before each POST a row in {@code email_sends} ({@link EmailSends})
 * records that a send began. When an attempt then ends without knowing whether Mailgun took the
 * email (its answer timed out or the connection broke after the request was written, Mailgun
 * answered 5xx, the attempt was killed or timed out), the row stays, and the next attempt first
 * asks Mailgun's events API whether it accepted a message for the job: {@code GET
 * {baseUrl}/v3/{domain}/events?event=accepted&user-variables={"job-id":"<id>"}&begin=..&ascending=yes}.
 * If it did, that message's id is the answer and nothing is sent; if not, the email is sent.
 *
 * <p><b>Events lag.</b> An accepted event can reach the events API seconds after Mailgun accepted
 * the message. The lookup therefore waits until {@code jobs.mailgun.events-lag} (5 s) has passed
 * since the earlier answer was lost (or since that send's deadline, if the attempt died before it
 * could say) before it trusts "not found"; a retry that comes later than that does not wait.
 *
 * <p>Statuses: 429 and 5xx and network errors are retryable; any other 4xx is not (a bad address or
 * a suspended domain does not heal). 429, a refused or failed connection and a refusal are certain
 * not to have sent anything; a 5xx may come after Mailgun took the message (it has been seen to do
 * so), so it is an unknown outcome like a lost answer. Error messages carry the HTTP status only:
 * Mailgun's error bodies can echo the recipient's address.
 */
@Component
class MailgunMailSender implements MailSender, BatchMailSender {

  /** Mailgun's limit of recipients per call (batch sending). */
  static final int MAX_BATCH_RECIPIENTS = 1_000;

  /** The user variable carrying a single email's job id, and the one carrying a batch's id. */
  static final String JOB_VARIABLE = "job-id";

  static final String BATCH_VARIABLE = "batch-id";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Logger log = LoggerFactory.getLogger(MailgunMailSender.class);

  /**
   * Recorded when Mailgun answers 2xx without a readable id: the message was accepted, so the job
   * must not retry (that would send it twice); the delivery row says the id is unknown.
   */
  static final String ACCEPTED_WITHOUT_ID = "(accepted; Mailgun returned no id)";

  /** Events are searched from a minute before the first send: room for clocks that disagree. */
  private static final Duration SEARCH_MARGIN = Duration.ofMinutes(1);

  private final RestClient sending;
  private final RestClient events;
  private final EmailSends sends;
  private final String messagesPath;
  private final String eventsPath;
  private final String from;
  private final Duration sendWorstCase;
  private final Duration eventsLag;

  MailgunMailSender(MailgunProperties properties, OutboundHttpProperties http, EmailSends sends) {
    properties.requireAttemptWithin(MailgunProperties.SHORTEST_SENDING_START_TO_CLOSE);
    // One pool for both kinds of call; each kind has its own read deadline.
    CloseableHttpClient client =
        OutboundHttp.client(properties.connectTimeout(), http.maxConnections());
    this.sending = restClient(properties, client, properties.sendDeadlines());
    this.events = restClient(properties, client, properties.eventsDeadlines());
    this.sends = sends;
    this.messagesPath = "/v3/" + properties.domain() + "/messages";
    this.eventsPath = "/v3/" + properties.domain() + "/events";
    this.from = properties.from();
    this.sendWorstCase = properties.sendDeadlines().worstCase();
    this.eventsLag = properties.eventsLag();
  }

  private static RestClient restClient(
      MailgunProperties properties, CloseableHttpClient client, OutboundHttp.Deadlines deadlines) {
    return RestClient.builder()
        .baseUrl(properties.baseUrl().toString())
        .requestFactory(OutboundHttp.requestFactory(client, deadlines))
        .defaultHeaders(headers -> headers.setBasicAuth("api", properties.apiKey()))
        .build();
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
    form.add("v:" + JOB_VARIABLE, email.jobId());
    return sendOnce(new SendKey("job", email.jobId(), JOB_VARIABLE), form, false);
  }

  /**
   * One call with every recipient as a {@code to}, {@code recipient-variables} holding each one's
   * values, and the batch's user variables on each message; once per batch id, exactly as {@link
   * #send} is once per job id (the events lookup asks for {@code batch-id}). A 400 is the batch's
   * content (an address Mailgun refuses): non-retryable {@code INVALID_INPUT}.
   */
  @Override
  public String sendBatch(OutgoingBatch batch) {
    if (batch.recipients().isEmpty() || batch.recipients().size() > MAX_BATCH_RECIPIENTS) {
      throw ApplicationFailure.newNonRetryableFailure(
          "a batch carries 1 to "
              + MAX_BATCH_RECIPIENTS
              + " recipients, not "
              + batch.recipients().size(),
          FailureType.INVALID_INPUT.name());
    }
    String batchId = batch.batchId().toString();
    MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
    form.add("from", from);
    var recipientVariables = JSON.createObjectNode();
    for (OutgoingBatch.Recipient recipient : batch.recipients()) {
      form.add("to", recipient.email());
      var values = recipientVariables.putObject(recipient.email());
      recipient.variables().forEach(values::put);
    }
    form.add("recipient-variables", recipientVariables.toString());
    form.add("subject", batch.subject());
    form.add("text", batch.text());
    form.add("html", batch.html());
    form.add("o:tag", batch.tag());
    batch.userVariables().forEach((name, value) -> form.add("v:" + name, value));
    form.add("v:" + BATCH_VARIABLE, batchId);
    return sendOnce(new SendKey("batch", batchId, BATCH_VARIABLE), form, true);
  }

  @Override
  public int maxRecipients() {
    return MAX_BATCH_RECIPIENTS;
  }

  /**
   * What one Mailgun call is sent once for: its key in {@code email_sends}, the user variable that
   * carries the key on the message, and the word for log lines ("job", "batch").
   */
  private record SendKey(String kind, String id, String variable) {}

  private String sendOnce(SendKey key, MultiValueMap<String, String> form, boolean batch) {
    String id = key.id();
    // The first send costs one statement here; only a retry reads what came before.
    if (!sends.beginFirst(id)) {
      Optional<EmailSends.EarlierSend> earlier = sends.find(id);
      if (earlier.isPresent()) {
        Optional<String> accepted = acceptedEarlier(key, earlier.get());
        if (accepted.isPresent()) {
          sends.accepted(id, accepted.get());
          return accepted.get();
        }
        log.info(
            "{} {}: Mailgun accepted no earlier send of this email; sending it", key.kind(), id);
      }
      sends.begin(id);
    }
    return post(key, form, batch);
  }

  /** Whether a send of an earlier attempt was accepted after all, and its message id. */
  private Optional<String> acceptedEarlier(SendKey key, EmailSends.EarlierSend earlier) {
    if (earlier.providerMessageId() != null) {
      return Optional.of(earlier.providerMessageId());
    }
    Duration wait = untilSettled(earlier);
    if (!wait.isZero()) {
      log.info(
          "{} {}: waiting {} ms for Mailgun's events to catch up",
          key.kind(),
          key.id(),
          wait.toMillis());
      try {
        Thread.sleep(wait.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw ApplicationFailure.newFailure(
            "interrupted while waiting for Mailgun's events",
            FailureType.PROVIDER_UNAVAILABLE.name());
      }
    }
    Optional<String> found = acceptedEvent(key, earlier.firstStartedAt().minus(SEARCH_MARGIN));
    found.ifPresent(
        id ->
            log.info(
                "{} {}: Mailgun had accepted an earlier send ({}); not sending again",
                key.kind(),
                key.id(),
                id));
    return found;
  }

  /**
   * How long until an accepted event of the earlier send must be visible: {@code eventsLag} after
   * its answer was lost, or, when the attempt died without saying, after that send's deadline.
   * Never longer than {@code eventsLag}, which is what an attempt's time budget holds for it.
   */
  private Duration untilSettled(EmailSends.EarlierSend earlier) {
    Duration sinceLost =
        earlier.outcomeUnknownFor() != null
            ? earlier.outcomeUnknownFor()
            : earlier.sinceLatestStart().minus(sendWorstCase);
    Duration wait = eventsLag.minus(sinceLost);
    if (wait.isNegative()) {
      return Duration.ZERO;
    }
    return wait.compareTo(eventsLag) > 0 ? eventsLag : wait;
  }

  /**
   * The id of a message Mailgun accepted for the key since {@code begin}, from its events API. The
   * returned events are checked again here, so a filter Mailgun ignored cannot match another job's
   * (or batch's) message. Every recipient of an accepted batch has its own accepted event, all with
   * the batch's one message id: any of them answers.
   */
  private Optional<String> acceptedEvent(SendKey key, Instant begin) {
    String userVariables = JSON.createObjectNode().put(key.variable(), key.id()).toString();
    Answer answer;
    try {
      answer =
          events
              .get()
              .uri(
                  eventsPath
                      + "?event=accepted&user-variables={variables}&begin={begin}"
                      + "&ascending=yes&limit=10",
                  Map.of("variables", userVariables, "begin", begin.getEpochSecond()))
              .exchange(
                  (request, response) ->
                      Answer.of(
                          response.getStatusCode().value(), response.getBody().readAllBytes()));
    } catch (ResourceAccessException e) {
      throw ApplicationFailure.newFailure(
          "Mailgun's events unreachable: " + e.getMostSpecificCause().getClass().getSimpleName(),
          FailureType.PROVIDER_UNAVAILABLE.name());
    }
    if (!answer.is2xx()) {
      throw eventsFailureFor(answer.status());
    }
    try {
      for (JsonNode item : JSON.readTree(answer.body()).path("items")) {
        if ("accepted".equals(item.path("event").asText())
            && key.id().equals(item.path("user-variables").path(key.variable()).asText())) {
          String id = item.path("message").path("headers").path("message-id").asText();
          // The events API gives the id without the angle brackets of the messages API's answer.
          return Optional.of(
              id.isBlank() ? ACCEPTED_WITHOUT_ID : id.startsWith("<") ? id : "<" + id + ">");
        }
      }
      return Optional.empty();
    } catch (IOException e) {
      throw ApplicationFailure.newFailure(
          "Mailgun's events answer is not JSON", FailureType.PROVIDER_UNAVAILABLE.name());
    }
  }

  private String post(SendKey key, MultiValueMap<String, String> form, boolean batch) {
    String id = key.id();
    Answer answer;
    try {
      answer =
          sending
              .post()
              .uri(messagesPath)
              .contentType(MediaType.APPLICATION_FORM_URLENCODED)
              .body(form)
              .exchange(
                  (request, response) ->
                      Answer.of(
                          response.getStatusCode().value(), response.getBody().readAllBytes()));
    } catch (ResourceAccessException e) {
      String cause = e.getMostSpecificCause().getClass().getSimpleName();
      if (neverReachedMailgun(e)) {
        sends.notAccepted(id);
        throw ApplicationFailure.newFailure(
            "Mailgun unreachable: " + cause, FailureType.PROVIDER_UNAVAILABLE.name());
      }
      sends.outcomeUnknown(id);
      throw ApplicationFailure.newFailure(
          "Mailgun's answer was lost (" + cause + "); the next attempt looks for the message first",
          FailureType.PROVIDER_UNAVAILABLE.name());
    }
    if (answer.is2xx()) {
      String messageId = messageId(answer.body());
      sends.accepted(id, messageId);
      return messageId;
    }
    if (answer.status() >= 500) {
      sends.outcomeUnknown(id);
    } else {
      sends.notAccepted(id);
    }
    if (batch && answer.status() == 400) {
      throw ApplicationFailure.newNonRetryableFailure(
          "Mailgun refused the batch's content: HTTP 400", FailureType.INVALID_INPUT.name());
    }
    throw failureFor(answer.status());
  }

  /**
   * Whether the request certainly never reached Mailgun: no connection from the pool, no TCP
   * connection, no TLS session. Anything later (a read timeout, a reset after the request was
   * written, a closed keep-alive connection) may have been a message Mailgun took.
   */
  static boolean neverReachedMailgun(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof ConnectException
          || cause instanceof ConnectTimeoutException
          || cause instanceof ConnectionRequestTimeoutException
          || cause instanceof UnknownHostException
          || cause instanceof NoRouteToHostException
          || cause instanceof SSLHandshakeException) {
        return true;
      }
    }
    return false;
  }

  /** Mailgun's status and body, read inside the exchange. */
  private record Answer(int status, String body) {

    static Answer of(int status, byte[] body) {
      return new Answer(status, new String(body, StandardCharsets.UTF_8));
    }

    boolean is2xx() {
      return status >= 200 && status < 300;
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
    return ProviderFailures.forStatus("Mailgun", "the message", status);
  }

  /**
   * A lookup that cannot be made fails the attempt without sending: 429 and 5xx retry; another 4xx
   * (a key without access to events, say) does not heal, and sending blind could send twice.
   */
  static ApplicationFailure eventsFailureFor(int status) {
    return ProviderFailures.forStatus("Mailgun", "the events lookup", status);
  }
}
