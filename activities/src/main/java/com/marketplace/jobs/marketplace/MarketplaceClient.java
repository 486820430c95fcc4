package com.marketplace.jobs.marketplace;

import java.util.List;

/**
 * Takes a company's vehicles off the Billion marketplace and puts them back, and answers bookings
 * made there. The listing calls are idempotent on Billion's side: withdrawing a vehicle that is not
 * listed, or listing one that is, is not an error, so a retried or repeated call is safe. Every
 * call carries an idempotency key, so a retried answer is the same request.
 *
 * <p>At most {@value #MAX_VEHICLES_PER_CALL} vehicle ids per call: the caller batches. An empty
 * list is a no-op (no call is made).
 */
public interface MarketplaceClient {

  /** The most vehicle ids one call may carry. */
  int MAX_VEHICLES_PER_CALL = 100;

  /**
   * Takes the vehicles off the marketplace.
   *
   * @param idempotencyKey identifies this request at Billion; derive it from what the request
   *     carries (job id, operation, the ids), so a retry of the same request sends the same key
   * @throws IllegalArgumentException more than {@value #MAX_VEHICLES_PER_CALL} ids, a null id, or a
   *     blank or malformed idempotency key (nothing is sent)
   * @throws io.temporal.failure.ApplicationFailure of type {@code PROVIDER_REJECTED}
   *     (non-retryable) or {@code PROVIDER_UNAVAILABLE} (retryable)
   */
  void withdraw(long companyId, List<Long> vehicleIds, String idempotencyKey);

  /**
   * Lists (publishes) the vehicles on the marketplace again.
   *
   * @param idempotencyKey identifies this request at Billion; derive it from what the request
   *     carries (job id, operation, the ids), so a retry of the same request sends the same key
   * @throws IllegalArgumentException more than {@value #MAX_VEHICLES_PER_CALL} ids, a null id, or a
   *     blank or malformed idempotency key (nothing is sent)
   * @throws io.temporal.failure.ApplicationFailure of type {@code PROVIDER_REJECTED}
   *     (non-retryable) or {@code PROVIDER_UNAVAILABLE} (retryable)
   */
  void list(long companyId, List<Long> vehicleIds, String idempotencyKey);

  /**
   * Confirms a booking made on Billion: {@code POST /v1/bookings/{bookingId}/confirm {"orderId"}}.
   *
   * @param idempotencyKey derive it from the event that decided the booking, so every retry sends
   *     the same key
   * @throws IllegalArgumentException a blank booking id or a malformed key (nothing is sent)
   * @throws io.temporal.failure.ApplicationFailure of type {@code PROVIDER_REJECTED}
   *     (non-retryable) or {@code PROVIDER_UNAVAILABLE} (retryable)
   */
  void confirmBooking(String bookingId, long orderId, String idempotencyKey);

  /**
   * Rejects a booking made on Billion: {@code POST /v1/bookings/{bookingId}/reject {"reason"}}.
   *
   * @param reason a short code such as {@code company_banned}
   * @param idempotencyKey derive it from the event that decided the booking
   * @throws IllegalArgumentException a blank booking id or reason, or a malformed key (nothing is
   *     sent)
   * @throws io.temporal.failure.ApplicationFailure of type {@code PROVIDER_REJECTED}
   *     (non-retryable) or {@code PROVIDER_UNAVAILABLE} (retryable)
   */
  void rejectBooking(String bookingId, String reason, String idempotencyKey);
}
