package com.marketplace.jobs.marketplace;

/**
 * What a marketplace job needs from one verified Billion event; the api reads it from the event's
 * {@code data} when it accepts the job, so the fields a type needs are present and well-formed.
 *
 * @param jobId the ledger's job id, derived from the event id
 * @param eventId Billion's event id; idempotency keys and row keys derive from it
 * @param eventType one of {@link MarketplaceEventType}'s names, e.g. {@code booking.created}
 * @param eventCreated when Billion created the event, unix seconds
 * @param vehicleId {@code listing.removed} and {@code booking.created}; null otherwise
 * @param companyId {@code listing.removed}: the company Billion lists the vehicle under; else null
 * @param reason {@code listing.removed}: Billion's reason, may be null
 * @param bookingId {@code booking.created} and {@code booking.cancelled}; null otherwise
 */
public record MarketplaceEvent(
    String jobId,
    String eventId,
    String eventType,
    long eventCreated,
    Long vehicleId,
    Long companyId,
    String reason,
    String bookingId) {

  public MarketplaceEventType type() {
    return MarketplaceEventType.byName(eventType)
        .orElseThrow(() -> new IllegalArgumentException("not a marketplace event: " + eventType));
  }

  public static MarketplaceEvent listingRemoved(
      String jobId, String eventId, long created, long vehicleId, long companyId, String reason) {
    return new MarketplaceEvent(
        jobId,
        eventId,
        MarketplaceEventType.LISTING_REMOVED.billionName(),
        created,
        vehicleId,
        companyId,
        reason,
        null);
  }

  public static MarketplaceEvent bookingCreated(
      String jobId, String eventId, long created, String bookingId, long vehicleId) {
    return new MarketplaceEvent(
        jobId,
        eventId,
        MarketplaceEventType.BOOKING_CREATED.billionName(),
        created,
        vehicleId,
        null,
        null,
        bookingId);
  }

  public static MarketplaceEvent bookingCancelled(
      String jobId, String eventId, long created, String bookingId) {
    return new MarketplaceEvent(
        jobId,
        eventId,
        MarketplaceEventType.BOOKING_CANCELLED.billionName(),
        created,
        null,
        null,
        null,
        bookingId);
  }
}
