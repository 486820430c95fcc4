package com.marketplace.jobs.payments;

import com.marketplace.jobs.ledger.JobLedgerWorkerInterceptor;
import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import org.slf4j.Logger;

/**
 * Record, capture if the event asks for it, and alert finance once if that fails for good.
 *
 * <p>The retry budget (docs/integrations/stripe.md): a payment whose failures are transient must be
 * captured within 15 minutes of the event. The capture has 1 attempt + 3 retries, 90 s, 3 min and 6
 * min apart, each attempt at most 30 s: the last retry starts at most 10.5 min + 3 × 30 s = 12 min
 * after the first attempt and ends by 12.5 min, and a schedule-to-close of 13 min caps the whole.
 * Accepting the event and recording it take milliseconds, so 2.5 min stay in reserve for a busy
 * worker. The worker may shorten the intervals ({@code jobs.payments.capture-retry.*}, for tests);
 * it never lengthens the budget.
 */
public class PaymentEventWorkflowImpl implements PaymentEventWorkflow {

  private static final Logger log = Workflow.getLogger(PaymentEventWorkflowImpl.class);

  /** The Stripe capture's activity type, for per-type options set by the worker. */
  public static final String CAPTURE_ACTIVITY_TYPE = "PaymentCapture";

  /** 1 attempt + 3 retries, 90 s, 180 s, 360 s apart (see the class comment). */
  public static final RetryOptions CAPTURE_RETRY =
      RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofSeconds(90))
          .setBackoffCoefficient(2.0)
          .setMaximumInterval(Duration.ofMinutes(6))
          .setMaximumAttempts(4)
          .build();

  public static final ActivityOptions CAPTURE_OPTIONS =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(30))
          .setScheduleToCloseTimeout(Duration.ofMinutes(13))
          .setRetryOptions(CAPTURE_RETRY)
          .build();

  /** Our own database only: a local activity, 1 attempt + 3 retries 1 s, 2 s, 4 s apart. */
  private final PaymentActivities rows =
      Workflow.newLocalActivityStub(
          PaymentActivities.class,
          LocalActivityOptions.newBuilder()
              .setStartToCloseTimeout(Duration.ofSeconds(10))
              .setRetryOptions(
                  RetryOptions.newBuilder()
                      .setInitialInterval(Duration.ofSeconds(1))
                      .setBackoffCoefficient(2.0)
                      .setMaximumAttempts(4)
                      .build())
              .build());

  private final PaymentActivities stripe =
      Workflow.newActivityStub(PaymentActivities.class, CAPTURE_OPTIONS);

  /**
   * One alert attempt's limit: above the worst case of one email through Mailgun (MailgunProperties
   * checks it at the worker's start).
   */
  public static final Duration ALERT_START_TO_CLOSE = Duration.ofSeconds(30);

  /** The alert is worth more tries than the payment: it is the last word on the job. */
  private final PaymentActivities alerts =
      Workflow.newActivityStub(
          PaymentActivities.class,
          ActivityOptions.newBuilder()
              .setStartToCloseTimeout(ALERT_START_TO_CLOSE)
              .setRetryOptions(
                  RetryOptions.newBuilder()
                      .setInitialInterval(Duration.ofSeconds(5))
                      .setBackoffCoefficient(2.0)
                      .setMaximumInterval(Duration.ofMinutes(2))
                      .setMaximumAttempts(10)
                      .build())
              .build());

  @Override
  public PaymentState process(PaymentEvent event) {
    try {
      PaymentState state = rows.recordEvent(event);
      if (event.type() == PaymentEventType.PAYMENT_INTENT_AMOUNT_CAPTURABLE_UPDATED
          && state.status() == PaymentStatus.AUTHORIZED) {
        state = stripe.capture(CaptureRequest.forEvent(event));
      }
      return state;
    } catch (ActivityFailure failure) {
      alertFinance(event, failure);
      throw failure;
    }
  }

  private void alertFinance(PaymentEvent event, ActivityFailure failure) {
    PaymentAlert alert =
        new PaymentAlert(
            event.jobId(),
            event.eventId(),
            event.eventType(),
            event.paymentIntentId(),
            event.orderId(),
            JobLedgerWorkerInterceptor.errorType(failure),
            JobLedgerWorkerInterceptor.message(failure));
    // Detached: a cancelled job still tells finance.
    Workflow.newDetachedCancellationScope(
            () -> {
              try {
                alerts.alertFinance(alert);
              } catch (ActivityFailure alertFailure) {
                log.error(
                    "job {}: the finance alert could not be sent; the job fails anyway",
                    event.jobId(),
                    alertFailure);
              }
            })
        .run();
  }
}
