/**
 * Billion marketplace events: {@code POST /webhooks/marketplace} verifies and accepts each event as
 * a job; {@link com.marketplace.jobs.marketplace.MarketplaceEventWorkflow} applies it.
 *
 * <p>Flow: the api verifies {@code Billion-Signature} over {@code Billion-Timestamp} and the body,
 * writes the PENDING ledger row (job id from the event id, so a redelivered event is the same job)
 * and answers 200. The workflow, by type:
 *
 * <ul>
 *   <li>{@code listing.removed}: records the removal ({@code marketplace_listing_removals}, {@code
 *       vehicles.marketplace_removed_at}); the vehicle stays published on the platform.
 *   <li>{@code booking.created}: in one transaction, under the api's per-tenant moderation intake
 *       lock and with the vehicle, its company and model locked, creates the order ({@code
 *       orders.marketplace_booking_id}) or refuses the booking (vehicle unknown or unpublished,
 *       company banned, a ban, unban or toggle of the company or tenant unfinished, company or
 *       model off the marketplace, listing taken down by Billion, booking already cancelled),
 *       recorded in {@code marketplace_bookings}; then confirms or rejects it at Billion with an
 *       idempotency key derived from the event (not for a booking Billion already cancelled).
 *   <li>{@code booking.cancelled}: the order becomes CANCELLED if it is ACTIVE or DEACTIVATED; a
 *       cancellation ahead of its booking is recorded so the late creation is refused.
 * </ul>
 *
 * Row changes are local activities (1 attempt + 3 retries); the answer to Billion is an activity
 * with 1 attempt + 4 retries (5 s to 40 s apart); a 4xx from Billion or an event about an unknown
 * vehicle fails at once. Nothing is compensated: rows record what Billion said, and an order made
 * for a booking is ended by Billion's cancellation.
 */
package com.marketplace.jobs.marketplace;
