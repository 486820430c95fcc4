package com.marketplace.jobs.payments;

/**
 * Where a payment stands, in order of precedence: a payment only ever moves to a later status, so
 * events applied in any order (a charge before its intent, a late failure after a success) end in
 * the same final state. The names are the {@code payments.status} and {@code orders.payment_status}
 * values.
 */
public enum PaymentStatus {
  /** An attempt failed (the customer may still pay with another card). */
  FAILED,
  /** Authorized, waiting for capture. */
  AUTHORIZED,
  /** Captured: the money is collected. */
  SUCCEEDED,
  PARTIALLY_REFUNDED,
  REFUNDED;

  /** The later of the two in precedence. */
  public PaymentStatus max(PaymentStatus other) {
    return other != null && other.ordinal() > ordinal() ? other : this;
  }
}
