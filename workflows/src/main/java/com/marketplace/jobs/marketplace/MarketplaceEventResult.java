package com.marketplace.jobs.marketplace;

/**
 * What a marketplace job did.
 *
 * @param outcome {@code listing_removal_recorded}, {@code booking_confirmed}, {@code
 *     booking_refused}, {@code booking_cancelled}
 * @param booking the booking row afterwards; null for {@code listing.removed}
 */
public record MarketplaceEventResult(String eventId, String outcome, BookingDecision booking) {}
