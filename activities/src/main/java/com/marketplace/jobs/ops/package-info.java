/**
 * Operations alerts' activities: {@link com.marketplace.jobs.ops.OpsAlertActivitiesImpl} claims one
 * {@code ops_alerts} row per new condition (FAILED jobs from the ledger; stuck jobs, failing types
 * and missed scheduled runs from the {@link com.marketplace.jobs.ops.AlertSources} port the worker
 * implements) and delivers each alert by email (the {@code ops_alert} template through the staff
 * mailer and Mailgun, the alert id as the send's key) and to the webhook ({@link
 * com.marketplace.jobs.ops.AlertWebhook}, Slack's payload), recording each channel's send once.
 */
package com.marketplace.jobs.ops;
