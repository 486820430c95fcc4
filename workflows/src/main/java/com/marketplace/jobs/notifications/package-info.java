/**
 * Email notifications: {@code POST /api/notifications} accepts a job; {@link
 * com.marketplace.jobs.notifications.NotificationWorkflow} sends it.
 *
 * <p>Flow: the api checks the customer and the {@link
 * com.marketplace.jobs.notifications.EmailTemplate}, writes a PENDING ledger row and answers 202;
 * the relay starts the workflow; the workflow runs {@code deliverEmail} (a local activity: load
 * customer, render, send through Mailgun, record the delivery) with up to 3 retries; a 4xx from
 * Mailgun other than 429 fails at once. Nothing to compensate: an email cannot be unsent.
 */
package com.marketplace.jobs.notifications;
