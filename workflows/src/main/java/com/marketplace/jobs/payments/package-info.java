/**
 * Stripe payments: {@code POST /webhooks/stripe} verifies and accepts each event as a job; {@link
 * com.marketplace.jobs.payments.PaymentEventWorkflow} applies it.
 *
 * <p>Flow: the api verifies the {@code Stripe-Signature}, writes the PENDING ledger row (job id
 * from the event id, so a redelivered event is the same job) and answers 200; the workflow records
 * the event on the {@code payments} row and its order (a local activity; status precedence makes
 * the order of events irrelevant), captures an authorized intent through Stripe with the
 * idempotency key {@code capture-<event id>} (1 attempt + 3 retries within the 15-minute budget; a
 * 4xx other than 409/429 fails at once), and if a step fails for good emails the finance contact
 * once per job and fails, which the ledger interceptor records as FAILED/UNRESOLVED. Nothing to
 * compensate: recorded rows are facts, and a capture is undone only by a refund, made by a person.
 */
package com.marketplace.jobs.payments;
