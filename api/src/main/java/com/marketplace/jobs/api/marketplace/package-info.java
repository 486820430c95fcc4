/**
 * Billion marketplace webhooks: {@link
 * com.marketplace.jobs.api.marketplace.MarketplaceWebhookController} verifies {@code
 * Billion-Signature} (HMAC-SHA256 over {@code Billion-Timestamp}, a dot and the raw body) against
 * the current and next shared secrets, refuses stale and future timestamps into the security log
 * ({@code security_log}), reads the event (400 naming a missing or mistyped field) and accepts
 * {@code listing.removed}, {@code booking.created} and {@code booking.cancelled} as {@code
 * marketplace_event} jobs whose id derives from the event id ({@code webhook_events} records every
 * verified event, accepted or ignored). The worker's {@code MarketplaceEventWorkflow} does the
 * rest.
 */
package com.marketplace.jobs.api.marketplace;
