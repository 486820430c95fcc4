package com.marketplace.jobs.marketplace;

import java.util.Optional;

/** The Billion event types that become jobs; any other type is recorded and ignored. */
public enum MarketplaceEventType {
  /** Billion took a vehicle's listing down: {@code data: {vehicleId, companyId, reason}}. */
  LISTING_REMOVED("listing.removed"),
  /** A customer booked a vehicle on Billion: {@code data: {bookingId, vehicleId}}. */
  BOOKING_CREATED("booking.created"),
  /** Billion cancelled a booking: {@code data: {bookingId}}. */
  BOOKING_CANCELLED("booking.cancelled");

  private final String billionName;

  MarketplaceEventType(String billionName) {
    this.billionName = billionName;
  }

  /** The event type as Billion spells it. */
  public String billionName() {
    return billionName;
  }

  public static Optional<MarketplaceEventType> byName(String billionName) {
    for (MarketplaceEventType type : values()) {
      if (type.billionName.equals(billionName)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }
}
