package com.marketplace.jobs.notifications;

import com.marketplace.jobs.http.OutboundHttp;
import com.marketplace.jobs.payments.PaymentEventWorkflowImpl;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import java.util.stream.Stream;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Where and how to reach Mailgun ({@code jobs.mailgun.*}, or MAILGUN_* environment variables).
 *
 * <p>Every activity that emails (the notification's local activity, the company notice, the finance
 * alert) must outlast its own worst attempt, so that an attempt has always given up on Mailgun
 * before Temporal starts the next one: {@link #attemptWorstCase()} stays below the shortest of
 * their start-to-close timeouts, or the worker does not start.
 *
 * @param baseUrl {@code https://api.mailgun.net} (US) or {@code https://api.eu.mailgun.net}; a
 *     local fake in development and tests
 * @param domain the sending domain, e.g. {@code mg.example.com}
 * @param apiKey the private API key; from the environment, never from a committed file
 * @param from the From header, e.g. {@code Rentals <no-reply@mg.example.com>}
 * @param connectionRequestTimeout waiting for a pooled connection (the pool is as large as the
 *     worker's activity slots, so this only bites when it is misconfigured)
 * @param connectTimeout the TCP connect, and again the TLS handshake, of a new connection
 * @param readTimeout waiting for the answer to a send
 * @param eventsReadTimeout waiting for the answer to an events lookup
 * @param eventsLag how long after Mailgun accepted a message its {@code accepted} event may still
 *     be missing from the events API; a lookup after a lost answer waits until this long after the
 *     answer was lost before it trusts "not found"
 */
@Validated
@ConfigurationProperties("jobs.mailgun")
public record MailgunProperties(
    @NotNull URI baseUrl,
    @NotBlank String domain,
    @NotBlank String apiKey,
    @NotBlank String from,
    @NotNull Duration connectionRequestTimeout,
    @NotNull Duration connectTimeout,
    @NotNull Duration readTimeout,
    @NotNull Duration eventsReadTimeout,
    @NotNull Duration eventsLag) {

  /**
   * The shortest start-to-close timeout of the activities that send through Mailgun: the
   * notification's local activity, the company notice, the finance alert (30 s each).
   */
  public static final Duration SHORTEST_SENDING_START_TO_CLOSE =
      Stream.of(
              NotificationWorkflowImpl.DELIVERY_START_TO_CLOSE,
              CompanyNoticeWorkflowImpl.SEND_START_TO_CLOSE,
              PaymentEventWorkflowImpl.ALERT_START_TO_CLOSE)
          .min(Duration::compareTo)
          .orElseThrow();

  /**
   * A slice of every attempt left for our own statements (customer, delivery and send rows): a few
   * milliseconds each, given a second in all.
   */
  static final Duration DATABASE_ALLOWANCE = Duration.ofSeconds(1);

  public OutboundHttp.Deadlines sendDeadlines() {
    return new OutboundHttp.Deadlines(connectionRequestTimeout, connectTimeout, readTimeout);
  }

  public OutboundHttp.Deadlines eventsDeadlines() {
    return new OutboundHttp.Deadlines(connectionRequestTimeout, connectTimeout, eventsReadTimeout);
  }

  /**
   * The longest one attempt at an email can take: after an earlier attempt lost Mailgun's answer,
   * waiting out the events lag, one events lookup and one send (with the defaults 5 s + 8 s + 13 s
   * = 26 s).
   */
  public Duration attemptWorstCase() {
    return eventsLag.plus(eventsDeadlines().worstCase()).plus(sendDeadlines().worstCase());
  }

  /**
   * @throws IllegalStateException naming the properties when an attempt could outlast {@code
   *     startToClose} (less {@link #DATABASE_ALLOWANCE})
   */
  void requireAttemptWithin(Duration startToClose) {
    if (attemptWorstCase().plus(DATABASE_ALLOWANCE).compareTo(startToClose) >= 0) {
      throw new IllegalStateException(
          ("jobs.mailgun: events-lag (%s) + the events lookup's and the send's connection-request-"
                  + "timeout (%s), twice connect-timeout (%s, TCP and TLS) and events-read-timeout "
                  + "(%s) / read-timeout (%s) add up to %s; with 1 s for the database that must stay"
                  + " below the sending activities' start-to-close timeout of %s, or a timed-out"
                  + " attempt could still be talking to Mailgun while the next one starts")
              .formatted(
                  eventsLag,
                  connectionRequestTimeout,
                  connectTimeout,
                  eventsReadTimeout,
                  readTimeout,
                  attemptWorstCase(),
                  startToClose));
    }
  }

  @Override
  public String toString() {
    // The key must never reach a log line.
    return ("MailgunProperties[baseUrl=%s, domain=%s, from=%s, connectionRequestTimeout=%s,"
            + " connectTimeout=%s, readTimeout=%s, eventsReadTimeout=%s, eventsLag=%s]")
        .formatted(
            baseUrl,
            domain,
            from,
            connectionRequestTimeout,
            connectTimeout,
            readTimeout,
            eventsReadTimeout,
            eventsLag);
  }
}
