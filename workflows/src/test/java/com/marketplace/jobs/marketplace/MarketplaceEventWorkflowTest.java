package com.marketplace.jobs.marketplace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import com.marketplace.jobs.common.FailureType;
import com.marketplace.jobs.ledger.InMemoryJobLedger;
import com.marketplace.jobs.ledger.JobLedgerWorkerInterceptor;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactoryOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mockito.ArgumentCaptor;

/**
 * The marketplace event workflow on Temporal's time-skipping test server with the production retry
 * options and mocked activities: what each event type does, retries of the answer to Billion,
 * failing at once on what retrying cannot heal, and the ledger the interceptor keeps.
 */
class MarketplaceEventWorkflowTest {

  private static final InMemoryJobLedger ledger = new InMemoryJobLedger();

  @RegisterExtension
  static final TestWorkflowExtension testWorkflow =
      TestWorkflowExtension.newBuilder()
          .setWorkerFactoryOptions(
              WorkerFactoryOptions.newBuilder()
                  .setWorkerInterceptors(new JobLedgerWorkerInterceptor(ledger))
                  .build())
          .registerWorkflowImplementationTypes(MarketplaceEventWorkflowImpl.class)
          .setDoNotStart(true)
          .build();

  private final MarketplaceEventActivities activities =
      mock(MarketplaceEventActivities.class, withSettings().withoutAnnotations());
  private final List<Long> answerAttemptsAt = new ArrayList<>();
  private TestWorkflowEnvironment env;

  @BeforeEach
  void registerActivities(TestWorkflowEnvironment env, Worker worker) {
    this.env = env;
    worker.registerActivitiesImplementations(activities, ledger);
    env.start();
  }

  private static final MarketplaceEvent CREATED =
      MarketplaceEvent.bookingCreated("job-created", "evt_created", 1767225600L, "bk_1", 7L);
  private static final MarketplaceEvent CANCELLED =
      MarketplaceEvent.bookingCancelled("job-cancelled", "evt_cancelled", 1767225660L, "bk_1");
  private static final MarketplaceEvent REMOVED =
      MarketplaceEvent.listingRemoved(
          "job-removed", "evt_removed", 1767225600L, 7L, 101L, "photos missing");

  private static final BookingDecision CONFIRMED =
      new BookingDecision("bk_1", BookingStatus.CONFIRMED, 9_000_000_000_001L, null, "evt_created");

  private static String workflowId(MarketplaceEventWorkflow workflow) {
    return WorkflowStub.fromTyped(workflow).getExecution().getWorkflowId();
  }

  private static ApplicationFailure unavailable() {
    return ApplicationFailure.newFailure(
        "Marketplace answered HTTP 503", FailureType.PROVIDER_UNAVAILABLE.name());
  }

  /** Each answer attempt notes the (skipped) workflow time it ran at and fails while asked to. */
  private void answerFailsThenSucceeds(int failures) {
    doAnswer(
            call -> {
              answerAttemptsAt.add(env.currentTimeMillis());
              if (answerAttemptsAt.size() <= failures) {
                throw unavailable();
              }
              return null;
            })
        .when(activities)
        .answerBooking(any());
  }

  @Test
  void aListingRemovalIsRecordedAndNothingElseHappens(MarketplaceEventWorkflow workflow) {
    MarketplaceEventResult result = workflow.process(REMOVED);

    assertThat(result)
        .isEqualTo(new MarketplaceEventResult("evt_removed", "listing_removal_recorded", null));
    verify(activities).recordListingRemoval(REMOVED);
    verify(activities, never()).answerBooking(any());
    assertThat(ledger.row(workflowId(workflow)).status).isEqualTo("COMPLETED");
  }

  @Test
  void aConfirmedBookingIsConfirmedAtBillionWithTheEventsKey(MarketplaceEventWorkflow workflow) {
    when(activities.decideBooking(any())).thenReturn(CONFIRMED);
    answerFailsThenSucceeds(0);

    MarketplaceEventResult result = workflow.process(CREATED);

    assertThat(result.outcome()).isEqualTo("booking_confirmed");
    assertThat(result.booking()).isEqualTo(CONFIRMED);
    verify(activities)
        .answerBooking(
            new BookingAnswer(
                "job-created", "bk_1", 9_000_000_000_001L, null, "booking-confirm-evt_created"));
  }

  @Test
  void aRefusedBookingIsRejectedAtBillionWithItsReason(MarketplaceEventWorkflow workflow) {
    when(activities.decideBooking(any()))
        .thenReturn(
            new BookingDecision(
                "bk_1", BookingStatus.REFUSED, null, "company_banned", "evt_created"));
    answerFailsThenSucceeds(0);

    MarketplaceEventResult result = workflow.process(CREATED);

    assertThat(result.outcome()).isEqualTo("booking_refused");
    verify(activities)
        .answerBooking(
            new BookingAnswer(
                "job-created", "bk_1", null, "company_banned", "booking-reject-evt_created"));
  }

  @Test
  void aBookingBillionCancelledBeforeItArrivedIsNotAnswered(MarketplaceEventWorkflow workflow) {
    when(activities.decideBooking(any()))
        .thenReturn(
            new BookingDecision(
                "bk_1", BookingStatus.CANCELLED, null, "cancelled_before_created", "evt_created"));

    MarketplaceEventResult result = workflow.process(CREATED);

    assertThat(result.outcome()).isEqualTo("booking_cancelled");
    verify(activities, never()).answerBooking(any());
    assertThat(ledger.row(workflowId(workflow)).status).isEqualTo("COMPLETED");
  }

  @Test
  void aCancellationCancelsTheBooking(MarketplaceEventWorkflow workflow) {
    BookingDecision cancelled =
        new BookingDecision("bk_1", BookingStatus.CANCELLED, 9L, null, "evt_created");
    when(activities.cancelBooking(any())).thenReturn(cancelled);

    MarketplaceEventResult result = workflow.process(CANCELLED);

    assertThat(result)
        .isEqualTo(new MarketplaceEventResult("evt_cancelled", "booking_cancelled", cancelled));
    verify(activities).cancelBooking(CANCELLED);
    verify(activities, never()).decideBooking(any());
    verify(activities, never()).answerBooking(any());
  }

  @Test
  void theAnswerIsRetriedWithBackoffUntilBillionTakesIt(MarketplaceEventWorkflow workflow) {
    when(activities.decideBooking(any())).thenReturn(CONFIRMED);
    answerFailsThenSucceeds(4);
    long startedAt = env.currentTimeMillis();

    workflow.process(CREATED);

    assertThat(answerAttemptsAt).hasSize(5);
    assertThat(Duration.ofMillis(answerAttemptsAt.get(4) - startedAt))
        .as("5 s + 10 s + 20 s + 40 s of backoff")
        .isGreaterThanOrEqualTo(Duration.ofSeconds(75))
        .isLessThan(Duration.ofMinutes(3));
    ArgumentCaptor<BookingAnswer> answers = ArgumentCaptor.forClass(BookingAnswer.class);
    verify(activities, times(5)).answerBooking(answers.capture());
    assertThat(answers.getAllValues())
        .extracting(BookingAnswer::idempotencyKey)
        .containsOnly("booking-confirm-evt_created");
    verify(activities, times(1)).decideBooking(any());
    InMemoryJobLedger.Row row = ledger.row(workflowId(workflow));
    assertThat(row.status).isEqualTo("COMPLETED");
    assertThat(row.attempts).as("decide + 5 answer attempts").isEqualTo(6);
  }

  @Test
  void whenEveryAnswerAttemptFailsTheJobFails(MarketplaceEventWorkflow workflow) {
    when(activities.decideBooking(any())).thenReturn(CONFIRMED);
    doThrow(unavailable()).when(activities).answerBooking(any());

    assertThatThrownBy(() -> workflow.process(CREATED)).isInstanceOf(WorkflowFailedException.class);

    verify(activities, times(5)).answerBooking(any());
    InMemoryJobLedger.Row row = ledger.row(workflowId(workflow));
    assertThat(row.status).isEqualTo("FAILED");
    assertThat(row.resolution).isEqualTo("UNRESOLVED");
    assertThat(row.errorType).isEqualTo("PROVIDER_UNAVAILABLE");
  }

  @Test
  void aRefusalFromBillionFailsAtOnce(MarketplaceEventWorkflow workflow) {
    when(activities.decideBooking(any())).thenReturn(CONFIRMED);
    doThrow(
            ApplicationFailure.newNonRetryableFailure(
                "Marketplace refused the request: HTTP 409", FailureType.PROVIDER_REJECTED.name()))
        .when(activities)
        .answerBooking(any());

    assertThatThrownBy(() -> workflow.process(CREATED)).isInstanceOf(WorkflowFailedException.class);

    verify(activities, times(1)).answerBooking(any());
    InMemoryJobLedger.Row row = ledger.row(workflowId(workflow));
    assertThat(row.status).isEqualTo("FAILED");
    assertThat(row.errorType).isEqualTo("PROVIDER_REJECTED");
  }

  @Test
  void aRemovalOfAnUnknownVehicleFailsAtOnce(MarketplaceEventWorkflow workflow) {
    doThrow(
            ApplicationFailure.newNonRetryableFailure(
                "Marketplace event evt_removed: no vehicle 7", FailureType.NOT_FOUND.name()))
        .when(activities)
        .recordListingRemoval(any());

    assertThatThrownBy(() -> workflow.process(REMOVED)).isInstanceOf(WorkflowFailedException.class);

    verify(activities, times(1)).recordListingRemoval(any());
    assertThat(ledger.row(workflowId(workflow)).errorType).isEqualTo("NOT_FOUND");
  }

  @Test
  void aDatabaseBlipIsRetried(MarketplaceEventWorkflow workflow) {
    when(activities.decideBooking(any()))
        .thenThrow(new IllegalStateException("connection reset"))
        .thenReturn(CONFIRMED);
    answerFailsThenSucceeds(0);

    assertThat(workflow.process(CREATED).outcome()).isEqualTo("booking_confirmed");

    verify(activities, times(2)).decideBooking(any());
  }
}
