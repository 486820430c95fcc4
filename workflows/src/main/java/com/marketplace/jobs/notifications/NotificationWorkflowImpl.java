package com.marketplace.jobs.notifications;

import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/**
 * Runs the delivery as a local activity: the email goes out inside the workflow's first workflow
 * task, with no activity task round trip through the Temporal server. The server is this service's
 * bottleneck, so this roughly doubles the notification throughput a server sustains
 * (docs/architecture.md). Retries stay durable: the local activity's retry state survives in the
 * workflow task, and a worker crash replays the workflow on another worker.
 */
public class NotificationWorkflowImpl implements NotificationWorkflow {

  /** 1 attempt + 3 retries, 1 s, 2 s, 4 s apart. */
  static final RetryOptions DELIVERY_RETRY =
      RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofSeconds(1))
          .setBackoffCoefficient(2.0)
          .setMaximumInterval(Duration.ofSeconds(30))
          .setMaximumAttempts(4)
          .build();

  /**
   * One delivery attempt's limit. Above the worst case of an attempt (MailgunProperties checks it
   * at the worker's start): after an earlier attempt lost Mailgun's answer, waiting out the events
   * lag (5 s), one look at Mailgun's events (8 s at most) and one send (13 s at most): 26 s. A
   * local activity may outlast the workflow task timeout (10 s): the SDK then heartbeats the
   * workflow task, which only slow attempts pay for.
   */
  public static final Duration DELIVERY_START_TO_CLOSE = Duration.ofSeconds(30);

  private final NotificationActivities activities =
      Workflow.newLocalActivityStub(
          NotificationActivities.class,
          LocalActivityOptions.newBuilder()
              .setStartToCloseTimeout(DELIVERY_START_TO_CLOSE)
              .setRetryOptions(DELIVERY_RETRY)
              .build());

  @Override
  public DeliveryReceipt send(NotificationRequest request) {
    return activities.deliverEmail(request);
  }
}
