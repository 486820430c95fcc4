package com.marketplace.jobs.marketplace;

/** Where a Billion booking stands with us: the {@code marketplace_bookings.status} values. */
public enum BookingStatus {
  /** An order was created for it. */
  CONFIRMED,
  /** No order: the vehicle is unknown or unpublished, or its company is banned. */
  REFUSED,
  /** Billion cancelled it (before or after its creation reached us). */
  CANCELLED
}
