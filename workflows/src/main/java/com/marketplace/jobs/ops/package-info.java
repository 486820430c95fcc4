/**
 * Operations alerts. Every minute the {@code ops-alerts} schedule runs {@link
 * com.marketplace.jobs.ops.OpsAlertsWorkflow}: its first activity claims one row in {@code
 * ops_alerts} per new condition (a job that exhausted its retries, a stuck job, a job type failing
 * repeatedly, a scheduled run missing from the run log) under the unique key (condition, subject),
 * and returns the alerts not yet sent on every channel; then each alert's email (to the operations
 * address, through Mailgun) and webhook post (Slack-compatible JSON) run as activities with their
 * own retries. A delivery that gives up is sent by the next check. The jobs reported on are only
 * read, never changed, so an alert can neither block nor fail them.
 */
package com.marketplace.jobs.ops;
