package com.marketplace.jobs.api.payments;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.marketplace.jobs.api.webhooks.WebhookEvents;
import com.marketplace.jobs.api.webhooks.WebhookReceipt;
import com.marketplace.jobs.common.JobType;
import com.marketplace.jobs.payments.PaymentEvent;
import com.marketplace.jobs.payments.PaymentEventType;
import com.stripe.model.Event;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * Turns a verified Stripe event into a payment job, or records it as ignored ({@link
 * WebhookEvents}: one transaction with the {@code webhook_events} row, job id and idempotency key
 * from the event id, so a redelivered event is the same job).
 */
@Service
class StripeEvents {

  static final String PROVIDER = "stripe";

  private final WebhookEvents webhookEvents;

  StripeEvents(WebhookEvents webhookEvents) {
    this.webhookEvents = webhookEvents;
  }

  /** The job id of a Stripe event: a name-based UUID of {@code stripe:<event id>}. */
  static UUID jobIdFor(String eventId) {
    return WebhookEvents.jobIdFor(PROVIDER, eventId);
  }

  WebhookReceipt receive(Event event) {
    Optional<PaymentEvent> payment = toPaymentEvent(event, jobIdFor(event.getId()));
    if (payment.isEmpty()) {
      return webhookEvents.ignore(PROVIDER, event.getId(), event.getType());
    }
    return webhookEvents.accept(
        PROVIDER, event.getId(), event.getType(), JobType.PAYMENT_EVENT, jobId -> payment.get());
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
