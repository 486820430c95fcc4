package com.marketplace.jobs.marketplace;

/**
 * The {@code marketplace_bookings} row after a booking event was applied.
 *
 * @param orderId the order created for the booking; null when none was
 * @param reason why it was refused ({@code vehicle_not_found}, {@code moderation_in_progress},
 *     {@code company_banned}, {@code vehicle_unpublished}, {@code company_marketplace_disabled},
 *     {@code model_marketplace_disabled}, {@code listing_removed}, {@code
 *     cancelled_before_created}), or what a cancellation found; null for a plain confirmation
 * @param createdEventId the {@code booking.created} event that decided it; the answer's idempotency
 *     key derives from it, so every delivery of the booking sends the same answer
 */
public record BookingDecision(
    String bookingId, BookingStatus status, Long orderId, String reason, String createdEventId) {}
