package com.marketplace.jobs.payments;

/**
 * What a payment job needs from one verified Stripe event: the api extracts it from the event's
 * object (a PaymentIntent or a Charge) when it accepts the job.
 *
 * @param jobId the ledger's job id, derived from the event id
 * @param eventId Stripe's event id ({@code evt_...}); the capture's idempotency key derives from it
 * @param eventType one of {@link PaymentEventType}'s names, e.g. {@code payment_intent.succeeded}
 * @param eventCreated when Stripe created the event, unix seconds
 * @param paymentIntentId the intent the event is about (a charge's {@code payment_intent})
 * @param chargeId the charge's id for charge events, the intent's latest charge otherwise; may be
 *     null
 * @param orderId {@code metadata.order_id} of the object, or null when absent or not a number
 * @param amount in the currency's smallest unit; may be null
 * @param amountRefunded charges only; 0 otherwise
 * @param currency lowercase ISO code, e.g. {@code eur}; may be null
 * @param captured charges only: whether the charge is captured; null for intents
 * @param refunded charges only: whether the charge is fully refunded; null for intents
 */
public record PaymentEvent(
    String jobId,
    String eventId,
    String eventType,
    long eventCreated,
    String paymentIntentId,
    String chargeId,
    Long orderId,
    Long amount,
    long amountRefunded,
    String currency,
    Boolean captured,
    Boolean refunded) {

  public PaymentEventType type() {
    return PaymentEventType.byName(eventType)
        .orElseThrow(() -> new IllegalArgumentException("not a payment event: " + eventType));
  }

  /** The status this event says the payment has reached (on its own, without earlier events). */
  public PaymentStatus impliedStatus() {
    return switch (type()) {
      case PAYMENT_INTENT_PAYMENT_FAILED -> PaymentStatus.FAILED;
      case PAYMENT_INTENT_AMOUNT_CAPTURABLE_UPDATED -> PaymentStatus.AUTHORIZED;
      case PAYMENT_INTENT_SUCCEEDED -> PaymentStatus.SUCCEEDED;
      case CHARGE_SUCCEEDED ->
          Boolean.FALSE.equals(captured) ? PaymentStatus.AUTHORIZED : PaymentStatus.SUCCEEDED;
      case CHARGE_REFUNDED ->
          Boolean.FALSE.equals(refunded)
              ? PaymentStatus.PARTIALLY_REFUNDED
              : PaymentStatus.REFUNDED;
    };
  }
}
