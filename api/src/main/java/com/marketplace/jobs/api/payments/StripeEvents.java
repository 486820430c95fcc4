package com.marketplace.jobs.api.payments;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.marketplace.jobs.api.intake.AcceptedJob;
import com.marketplace.jobs.api.intake.JobIntake;
import com.marketplace.jobs.api.intake.NewJob;
import com.marketplace.jobs.api.jobs.JobLinks;
import com.marketplace.jobs.common.JobType;
import com.marketplace.jobs.payments.PaymentEvent;
import com.marketplace.jobs.payments.PaymentEventType;
import com.stripe.model.Event;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Turns a verified Stripe event into a payment job, or records it as ignored, in one transaction
 * with the {@code webhook_events} row. The job's id derives from the event id and the event id is
 * its idempotency key, so however often and however concurrently Stripe delivers an event, there is
 * one job and one workflow.
 */
@Service
class StripeEvents {

  static final String PROVIDER = "stripe";

  private final JobIntake intake;
  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;

  StripeEvents(JobIntake intake, JdbcClient jdbc, TransactionTemplate transactions) {
    this.intake = intake;
    this.jdbc = jdbc;
    this.transactions = transactions;
  }

  /** What makes two deliveries the same job: the event id, nothing Stripe may vary. */
  record StripeEventContent(String eventId) {}

  /** The job id of a Stripe event: a name-based UUID of {@code stripe:<event id>}. */
  static UUID jobIdFor(String eventId) {
    return UUID.nameUUIDFromBytes((PROVIDER + ":" + eventId).getBytes(StandardCharsets.UTF_8));
  }

  WebhookReceipt receive(Event event) {
    Optional<PaymentEvent> payment = toPaymentEvent(event, jobIdFor(event.getId()));
    return transactions.execute(
        status -> {
          if (payment.isEmpty()) {
            record(event, "IGNORED", null);
            return new WebhookReceipt(event.getId(), "ignored", null, null, null);
          }
          PaymentEvent input = payment.get();
          AcceptedJob job =
              intake.accept(
                  new NewJob(
                      JobType.PAYMENT_EVENT,
                      new StripeEventContent(event.getId()),
                      jobId -> input,
                      event.getId(),
                      null,
                      null,
                      java.util.Set.of(),
                      NewJob.SameContent.SAME_JOB_WITHIN_WINDOW,
                      UUID.fromString(input.jobId())));
          record(event, "ACCEPTED", job.jobId());
          return new WebhookReceipt(
              event.getId(),
              "accepted",
              job.jobId().toString(),
              job.workflowId(),
              JobLinks.statusPath(job.jobId()));
        });
  }

  private void record(Event event, String outcome, UUID jobId) {
    jdbc.sql(
            """
            INSERT INTO webhook_events (provider, event_id, event_type, outcome, job_id)
            VALUES (:provider, :eventId, :type, :outcome, :jobId)
            ON CONFLICT (provider, event_id) DO UPDATE
               SET deliveries = webhook_events.deliveries + 1, last_received_at = now()
            """)
        .param("provider", PROVIDER)
        .param("eventId", event.getId())
        .param("type", event.getType())
        .param("outcome", outcome)
        .param("jobId", jobId)
        .update();
  }

  /**
   * The job's input for a handled event type whose object names a payment intent; empty for any
   * other event (ignored). Read from the event's raw object, so it does not depend on the API
   * version the event was rendered with.
   */
  static Optional<PaymentEvent> toPaymentEvent(Event event, UUID jobId) {
    Optional<PaymentEventType> type = PaymentEventType.byName(event.getType());
    if (type.isEmpty() || event.getData() == null) {
      return Optional.empty();
    }
    String raw = event.getDataObjectDeserializer().getRawJson();
    if (raw == null) {
      return Optional.empty();
    }
    JsonObject object = JsonParser.parseString(raw).getAsJsonObject();
    boolean charge = type.get().aboutCharge();
    String paymentIntentId = charge ? idOf(object.get("payment_intent")) : text(object, "id");
    if (paymentIntentId == null) {
      // A charge made without a PaymentIntent (the legacy Charges API): not ours to track.
      return Optional.empty();
    }
    return Optional.of(
        new PaymentEvent(
            jobId.toString(),
            event.getId(),
            event.getType(),
            event.getCreated() == null ? 0 : event.getCreated(),
            paymentIntentId,
            charge ? text(object, "id") : idOf(object.get("latest_charge")),
            orderId(object),
            number(object, "amount"),
            charge && number(object, "amount_refunded") != null
                ? number(object, "amount_refunded")
                : 0L,
            text(object, "currency"),
            charge ? bool(object, "captured") : null,
            charge ? bool(object, "refunded") : null));
  }

  private static Long orderId(JsonObject object) {
    JsonElement metadata = object.get("metadata");
    if (metadata == null || !metadata.isJsonObject()) {
      return null;
    }
    String value = text(metadata.getAsJsonObject(), "order_id");
    if (value == null) {
      return null;
    }
    try {
      return Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** An id field that Stripe sends either as the id or, when expanded, as the object. */
  private static String idOf(JsonElement element) {
    if (element == null || element.isJsonNull()) {
      return null;
    }
    if (element.isJsonObject()) {
      return text(element.getAsJsonObject(), "id");
    }
    return element.getAsString();
  }

  private static String text(JsonObject object, String field) {
    JsonElement value = object.get(field);
    return value == null || value.isJsonNull() ? null : value.getAsString();
  }

  private static Long number(JsonObject object, String field) {
    JsonElement value = object.get(field);
    return value == null || value.isJsonNull() ? null : value.getAsLong();
  }

  private static Boolean bool(JsonObject object, String field) {
    JsonElement value = object.get(field);
    return value == null || value.isJsonNull() ? null : value.getAsBoolean();
  }
}
