package com.marketplace.jobs.marketplace;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** Applies one verified Billion marketplace event to our rows, answering bookings to Billion. */
@WorkflowInterface
public interface MarketplaceEventWorkflow {

  /**
   * {@code listing.removed}: record it. {@code booking.created}: create the order or refuse it,
   * then tell Billion. {@code booking.cancelled}: cancel the booking's order. Idempotent per event:
   * the workflow id derives from the event id, every row is keyed by the event or the booking, and
   * the answer to Billion carries an idempotency key.
   */
  @WorkflowMethod
  MarketplaceEventResult process(MarketplaceEvent event);
}
