package com.marketplace.jobs.marketplace;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

@Component
public class MarketplaceEventActivitiesImpl implements MarketplaceEventActivities {

  private static final Logger log = LoggerFactory.getLogger(MarketplaceEventActivitiesImpl.class);

  private final MarketplaceBookings bookings;
  private final MarketplaceClient billion;

  MarketplaceEventActivitiesImpl(MarketplaceBookings bookings, MarketplaceClient billion) {
    this.bookings = bookings;
    this.billion = billion;
  }

  @Override
  public void recordListingRemoval(MarketplaceEvent event) {
    boolean recorded = bookings.recordListingRemoval(event);
    log.info(
        "job {}: listing of vehicle {} removed by the marketplace ({}{})",
        event.jobId(),
        event.vehicleId(),
        event.eventId(),
        recorded ? "" : ", recorded before");
  }

  @Override
  public BookingDecision decideBooking(MarketplaceEvent event) {
    BookingDecision decision = bookings.decide(event);
    log.info(
        "job {}: booking {} for vehicle {} is {} (order {}, reason {})",
        event.jobId(),
        event.bookingId(),
        event.vehicleId(),
        decision.status(),
        decision.orderId(),
        decision.reason());
    return decision;
  }

  @Override
  public BookingDecision cancelBooking(MarketplaceEvent event) {
    BookingDecision decision = bookings.cancel(event);
    log.info(
        "job {}: booking {} cancelled (order {}, {})",
        event.jobId(),
        event.bookingId(),
        decision.orderId(),
        decision.reason());
    return decision;
  }

  @Override
  public void answerBooking(BookingAnswer answer) {
    if (answer.confirms()) {
      billion.confirmBooking(answer.bookingId(), answer.orderId(), answer.idempotencyKey());
    } else {
      billion.rejectBooking(answer.bookingId(), answer.reason(), answer.idempotencyKey());
    }
    bookings.answered(answer.bookingId(), answer.confirms());
    log.info(
        "job {}: booking {} {} at the marketplace (key {})",
        answer.jobId(),
        answer.bookingId(),
        answer.confirms() ? "confirmed" : "rejected",
        answer.idempotencyKey());
  }
}
