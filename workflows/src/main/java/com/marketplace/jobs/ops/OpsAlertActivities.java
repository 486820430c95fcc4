package com.marketplace.jobs.ops;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.List;

/**
 * Finds what deserves an operations alert and delivers each alert once per channel. Method names
 * are the activity types, unique across the worker.
 */
@ActivityInterface
public interface OpsAlertActivities {

  /**
   * Claims a row in {@code ops_alerts} for every new condition (a job FAILED within {@code
   * jobs.alerts.lookback}, a stuck job, a failing job type, a missed scheduled run), sets the
   * {@code jobs.stuck} gauge, and returns up to {@code limit} alerts not yet sent on every channel,
   * oldest first. Idempotent: the table's unique key (condition, subject) makes a condition seen
   * again a no-op; nothing undoes a claim.
   */
  @ActivityMethod
  List<OpsAlert> claimOpsAlerts(int limit);

  /**
   * Emails the alert to {@code jobs.alerts.email}. Idempotency key: the alert id (the mail sender's
   * key, and {@code ops_alerts.email_sent_at}): one email per alert. Nothing undoes a sent email.
   *
   * @throws io.temporal.failure.ApplicationFailure PROVIDER_UNAVAILABLE (retried) or
   *     PROVIDER_REJECTED
   */
  @ActivityMethod
  void emailOpsAlert(OpsAlert alert);

  /**
   * POSTs the alert as Slack-compatible JSON to {@code jobs.alerts.webhook-url} (no-op when none is
   * set). Idempotency key: the alert id ({@code ops_alerts.webhook_sent_at}); an attempt whose
   * answer was lost may post twice, as webhooks give no way to ask. Nothing undoes a post.
   *
   * @throws io.temporal.failure.ApplicationFailure PROVIDER_UNAVAILABLE on 429, 5xx or no answer
   *     (retried), PROVIDER_REJECTED on another 4xx
   */
  @ActivityMethod
  void postOpsAlertToWebhook(OpsAlert alert);
}
