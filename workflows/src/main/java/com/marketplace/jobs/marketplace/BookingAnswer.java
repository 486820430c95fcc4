package com.marketplace.jobs.marketplace;

/**
 * What we tell Billion about a booking: confirm it with our order id, or reject it with a reason.
 *
 * @param orderId the order to confirm with; null for a rejection
 * @param reason the rejection's reason; null for a confirmation
 * @param idempotencyKey {@code booking-confirm-<event id>} or {@code booking-reject-<event id>} of
 *     the {@code booking.created} event that decided it: every retry, and every re-delivery of the
 *     booking, is the same request to Billion
 */
public record BookingAnswer(
    String jobId, String bookingId, Long orderId, String reason, String idempotencyKey) {

  public boolean confirms() {
    return orderId != null;
  }

  /** The answer to a decision that confirmed or refused the booking. */
  public static BookingAnswer forDecision(String jobId, BookingDecision decision) {
    return switch (decision.status()) {
      case CONFIRMED ->
          new BookingAnswer(
              jobId,
              decision.bookingId(),
              decision.orderId(),
              null,
              "booking-confirm-" + decision.createdEventId());
      case REFUSED ->
          new BookingAnswer(
              jobId,
              decision.bookingId(),
              null,
              decision.reason(),
              "booking-reject-" + decision.createdEventId());
      case CANCELLED ->
          throw new IllegalArgumentException(
              "a cancelled booking is not answered: " + decision.bookingId());
    };
  }
}
