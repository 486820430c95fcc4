/**
 * What every provider's webhook shares: {@link com.marketplace.jobs.api.webhooks.WebhookEvents}
 * accepts a verified event as a job keyed by the event id (or records it as ignored) together with
 * its {@code webhook_events} row; {@link com.marketplace.jobs.api.webhooks.WebhookSecurityLog}
 * writes refused calls to the security log ({@code security_log}: time, source, path, reason; never
 * the payload) and answers them with one 400 that does not say which check failed. Each provider's
 * package verifies its own signature scheme: {@code payments} (Stripe), {@code marketplace}
 * (Billion).
 */
package com.marketplace.jobs.api.webhooks;
