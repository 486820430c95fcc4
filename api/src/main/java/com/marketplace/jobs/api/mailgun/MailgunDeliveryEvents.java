package com.marketplace.jobs.api.mailgun;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Records one verified Mailgun event: its token (once), the event ({@code mailgun_events}, once per
 * event id) and, for a delivery verdict on a touchpoint, the touchpoint's delivery status, in one
 * transaction, so a token is only ever spent on an event that was recorded.
 *
 * <p>Verdicts: {@code delivered} → DELIVERED; {@code failed} with severity {@code permanent} →
 * BOUNCED when Mailgun's reason is a bounce ({@code bounce}, {@code suppress-bounce}), else FAILED;
 * {@code complained} → COMPLAINED (and delivered, since a complaint needs a delivered email). A
 * temporary failure is recorded and changes nothing: Mailgun keeps trying. An older event never
 * overwrites a newer verdict, and a complaint is final.
 */
@Service
class MailgunDeliveryEvents {

  /** What happened to a call whose signature verified. */
  enum Outcome {
    RECORDED,
    /** The same event again (Mailgun redelivered it with a new token): kept once. */
    DUPLICATE,
    /** The token was used before: a replay, nothing recorded. */
    REPLAYED
  }

  private static final Set<String> BOUNCE_REASONS = Set.of("bounce", "suppress-bounce");

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;

  MailgunDeliveryEvents(JdbcClient jdbc, TransactionTemplate transactions) {
    this.jdbc = jdbc;
    this.transactions = transactions;
  }

  /** One readable event. */
  record Event(
      String id,
      String event,
      String severity,
      String reason,
      Instant occurredAt,
      String messageId,
      Long touchpointId,
      String jobId) {

    /**
     * Reads Mailgun's {@code event-data}, or empty when it lacks an id, an event or a timestamp.
     */
    static Optional<Event> read(JsonNode data) {
      String id = text(data.path("id"));
      String event = text(data.path("event"));
      JsonNode timestamp = data.path("timestamp");
      if (id == null || event == null || !timestamp.isNumber()) {
        return Optional.empty();
      }
      BigDecimal seconds = timestamp.decimalValue();
      Instant at =
          Instant.ofEpochSecond(
              seconds.longValue(),
              seconds.remainder(BigDecimal.ONE).movePointRight(9).abs().intValue());
      String messageId = text(data.path("message").path("headers").path("message-id"));
      if (messageId != null && !messageId.startsWith("<")) {
        messageId = "<" + messageId + ">";
      }
      JsonNode variables = data.path("user-variables");
      String touchpoint = text(variables.path("touchpoint-id"));
      Long touchpointId =
          touchpoint != null && touchpoint.matches("[0-9]{1,18}") ? Long.valueOf(touchpoint) : null;
      return Optional.of(
          new Event(
              limit(id),
              limit(event.toLowerCase(Locale.ROOT)),
              limit(text(data.path("severity"))),
              limit(text(data.path("reason"))),
              at,
              limit(messageId),
              touchpointId,
              limit(text(variables.path("job-id")))));
    }

    /** The touchpoint's new status, or null when this event is no verdict. */
    String verdict() {
      return switch (event) {
        case "delivered" -> "DELIVERED";
        case "complained" -> "COMPLAINED";
        case "failed" ->
            "permanent".equals(severity)
                ? (reason != null && BOUNCE_REASONS.contains(reason) ? "BOUNCED" : "FAILED")
                : null;
        default -> null;
      };
    }

    private static String text(JsonNode node) {
      return node.isValueNode() && !node.asText().isBlank() ? node.asText() : null;
    }

    private static String limit(String value) {
      return value == null || value.length() <= 300 ? value : value.substring(0, 300);
    }
  }

  Outcome record(String token, Event event) {
    return transactions.execute(
        status -> {
          // Tokens older than a day would be refused as stale anyway.
          jdbc.sql(
                  "DELETE FROM mailgun_webhook_tokens WHERE received_at < now() - interval '1 day'")
              .update();
          int fresh =
              jdbc.sql(
                      "INSERT INTO mailgun_webhook_tokens (token) VALUES (:token)"
                          + " ON CONFLICT (token) DO NOTHING")
                  .param("token", token)
                  .update();
          if (fresh == 0) {
            return Outcome.REPLAYED;
          }
          int inserted =
              jdbc.sql(
                      """
                      INSERT INTO mailgun_events (event_id, event, severity, reason, occurred_at,
                                                  message_id, touchpoint_id, job_id)
                      VALUES (:id, :event, :severity, :reason, :at, :messageId, :touchpointId,
                              :jobId)
                      ON CONFLICT (event_id) DO NOTHING
                      """)
                  .param("id", event.id())
                  .param("event", event.event())
                  .param("severity", event.severity())
                  .param("reason", event.reason())
                  .param("at", Timestamp.from(event.occurredAt()))
                  .param("messageId", event.messageId())
                  .param("touchpointId", event.touchpointId())
                  .param("jobId", event.jobId())
                  .update();
          if (inserted == 0) {
            return Outcome.DUPLICATE;
          }
          String verdict = event.verdict();
          if (verdict != null && event.touchpointId() != null) {
            reflect(event, verdict);
          }
          return Outcome.RECORDED;
        });
  }

  private void reflect(Event event, String verdict) {
    boolean failed = verdict.equals("FAILED") || verdict.equals("BOUNCED");
    boolean delivered = verdict.equals("DELIVERED") || verdict.equals("COMPLAINED");
    jdbc.sql(
            """
            UPDATE touchpoints
               SET delivered_at = CASE WHEN :delivered THEN COALESCE(delivered_at, :at::timestamptz)
                                       ELSE delivered_at END,
                   failed_at = CASE WHEN :failed THEN COALESCE(failed_at, :at::timestamptz) ELSE failed_at END,
                   failure_reason = CASE WHEN :failed THEN :reason::text ELSE failure_reason END,
                   delivery_status =
                     CASE WHEN delivery_status = 'COMPLAINED' THEN delivery_status
                          WHEN :verdict::text = 'COMPLAINED' THEN :verdict::text
                          WHEN delivery_event_at > :at::timestamptz THEN delivery_status
                          ELSE :verdict::text END,
                   delivery_event_at = GREATEST(delivery_event_at, :at::timestamptz)
             WHERE id = :id AND sent_at IS NOT NULL
               AND (provider_message_id IS NULL OR :messageId::text IS NULL
                    OR provider_message_id = :messageId::text)
            """)
        .param("delivered", delivered)
        .param("failed", failed)
        .param("at", Timestamp.from(event.occurredAt()))
        .param("reason", event.reason() == null ? event.event() : event.reason())
        .param("verdict", verdict)
        .param("id", event.touchpointId())
        .param("messageId", event.messageId())
        .update();
  }
}
