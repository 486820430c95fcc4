/**
 * Stripe webhooks: {@link com.marketplace.jobs.api.payments.StripeWebhookController} verifies the
 * {@code Stripe-Signature} against every configured secret (rotation), refuses stale and future
 * timestamps into the security log ({@code security_log}, shared with every webhook: {@code
 * api.webhooks}), and accepts each handled event type as a payment job whose id derives from the
 * event id ({@code webhook_events} records every verified event, accepted or ignored). The worker's
 * {@code PaymentEventWorkflow} does the rest.
 */
package com.marketplace.jobs.api.payments;
