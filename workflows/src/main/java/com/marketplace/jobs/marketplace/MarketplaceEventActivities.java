package com.marketplace.jobs.marketplace;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** The effects of a Billion marketplace event: our rows, and our answer to Billion. */
@ActivityInterface(namePrefix = "MarketplaceEvent")
public interface MarketplaceEventActivities {

  /**
   * Records that Billion took the vehicle's listing down ({@code marketplace_listing_removals}) and
   * when ({@code vehicles.marketplace_removed_at}), in one transaction. The vehicle stays published
   * on the platform.
   *
   * <p>Idempotency key: the event id (the removal's primary key); recording it again changes
   * nothing. Nothing undoes it: it is a record of what Billion did.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code NOT_FOUND} (non-retryable) for an unknown
   *     vehicle, {@code INVALID_INPUT} when it is not the named company's
   */
  @ActivityMethod
  void recordListingRemoval(MarketplaceEvent event);

  /**
   * Creates the order for a {@code booking.created} event, or refuses it, in one transaction that
   * takes the api's per-tenant moderation intake lock, then reads the vehicle, its company and
   * model under a row lock. So a ban, unban or marketplace toggle is either accepted first (and the
   * booking is refused while it is unfinished) or after the order exists (an ACTIVE order the job
   * changes and its rollback restores). Refused when the vehicle is unknown or unpublished, its
   * company banned, a moderation job of its company or tenant unfinished, its company or model off
   * the marketplace, its listing taken down by Billion, or when Billion cancelled the booking
   * before this event arrived.
   *
   * <p>Idempotency key: the booking id ({@code marketplace_bookings}, and {@code
   * orders.marketplace_booking_id} unique): a repeat returns the decision made first. A booking
   * cancellation ({@link #cancelBooking}) undoes the order.
   */
  @ActivityMethod
  BookingDecision decideBooking(MarketplaceEvent event);

  /**
   * Applies a {@code booking.cancelled} event: the booking's order becomes CANCELLED if it is still
   * ACTIVE or DEACTIVATED (a completed one is left alone); a booking not known yet is recorded as
   * CANCELLED, so its late creation is refused.
   *
   * <p>Idempotency key: the booking id; cancelling a cancelled booking changes nothing. Nothing
   * undoes it.
   */
  @ActivityMethod
  BookingDecision cancelBooking(MarketplaceEvent event);

  /**
   * Tells Billion the decision ({@code POST /v1/bookings/{id}/confirm} or {@code /reject}, signed)
   * and records when it was accepted ({@code marketplace_bookings.answered_at}).
   *
   * <p>Idempotency key: {@link BookingAnswer#idempotencyKey()}, sent to Billion. Nothing undoes an
   * answer; a cancellation from Billion ends the booking.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code PROVIDER_UNAVAILABLE} (retryable) on
   *     network errors, timeouts, 429 and 5xx; {@code PROVIDER_REJECTED} (non-retryable) on any
   *     other 4xx
   */
  @ActivityMethod
  void answerBooking(BookingAnswer answer);
}
