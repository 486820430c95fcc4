package com.marketplace.jobs.payments;

import java.util.Optional;

/** The Stripe event types that become payment jobs; any other type is recorded and ignored. */
public enum PaymentEventType {
  PAYMENT_INTENT_SUCCEEDED("payment_intent.succeeded"),
  /** An authorized, uncaptured intent: the job captures it. */
  PAYMENT_INTENT_AMOUNT_CAPTURABLE_UPDATED("payment_intent.amount_capturable_updated"),
  PAYMENT_INTENT_PAYMENT_FAILED("payment_intent.payment_failed"),
  CHARGE_SUCCEEDED("charge.succeeded"),
  CHARGE_REFUNDED("charge.refunded");

  private final String stripeName;

  PaymentEventType(String stripeName) {
    this.stripeName = stripeName;
  }

  /** The event type as Stripe spells it. */
  public String stripeName() {
    return stripeName;
  }

  /** Whether the event's object is a Charge (otherwise a PaymentIntent). */
  public boolean aboutCharge() {
    return stripeName.startsWith("charge.");
  }

  public static Optional<PaymentEventType> byName(String stripeName) {
    for (PaymentEventType type : values()) {
      if (type.stripeName.equals(stripeName)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }
}
