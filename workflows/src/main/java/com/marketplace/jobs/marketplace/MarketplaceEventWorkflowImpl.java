package com.marketplace.jobs.marketplace;

import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/**
 * Our rows are written by local activities (our own database, inside the workflow task: no round
 * trip through the server); the answer to Billion is a normal activity, so its retries wait out an
 * outage of the marketplace without holding a workflow task.
 */
public class MarketplaceEventWorkflowImpl implements MarketplaceEventWorkflow {

  /** Our own database: 1 attempt + 3 retries, 1 s, 2 s, 4 s apart. */
  static final RetryOptions ROWS_RETRY =
      RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofSeconds(1))
          .setBackoffCoefficient(2.0)
          .setMaximumAttempts(4)
          .build();

  /** Billion: 1 attempt + 4 retries, 5 s, 10 s, 20 s, 40 s apart (about 75 s of outage). */
  static final RetryOptions ANSWER_RETRY =
      RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofSeconds(5))
          .setBackoffCoefficient(2.0)
          .setMaximumInterval(Duration.ofMinutes(1))
          .setMaximumAttempts(5)
          .build();

  private final MarketplaceEventActivities rows =
      Workflow.newLocalActivityStub(
          MarketplaceEventActivities.class,
          LocalActivityOptions.newBuilder()
              .setStartToCloseTimeout(Duration.ofSeconds(10))
              .setRetryOptions(ROWS_RETRY)
              .build());

  /**
   * The answer to Billion: one signed call whose client gives up within 10 s for a pooled
   * connection, 10 s to connect and 10 s to read, so 45 s is above its worst case.
   */
  private final MarketplaceEventActivities billion =
      Workflow.newActivityStub(
          MarketplaceEventActivities.class,
          ActivityOptions.newBuilder()
              .setStartToCloseTimeout(Duration.ofSeconds(45))
              .setRetryOptions(ANSWER_RETRY)
              .build());

  @Override
  public MarketplaceEventResult process(MarketplaceEvent event) {
    return switch (event.type()) {
      case LISTING_REMOVED -> {
        rows.recordListingRemoval(event);
        yield new MarketplaceEventResult(event.eventId(), "listing_removal_recorded", null);
      }
      case BOOKING_CREATED -> {
        BookingDecision decision = rows.decideBooking(event);
        if (decision.status() == BookingStatus.CANCELLED) {
          // Billion cancelled it before this creation reached us: nothing to answer.
          yield new MarketplaceEventResult(event.eventId(), "booking_cancelled", decision);
        }
        billion.answerBooking(BookingAnswer.forDecision(event.jobId(), decision));
        yield new MarketplaceEventResult(
            event.eventId(),
            decision.status() == BookingStatus.CONFIRMED ? "booking_confirmed" : "booking_refused",
            decision);
      }
      case BOOKING_CANCELLED ->
          new MarketplaceEventResult(
              event.eventId(), "booking_cancelled", rows.cancelBooking(event));
    };
  }
}
