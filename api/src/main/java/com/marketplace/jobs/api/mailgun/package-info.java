/**
 * Mailgun's delivery webhook, {@code POST /webhooks/mailgun}: {@link
 * com.marketplace.jobs.api.mailgun.MailgunSignatureVerifier} checks the HMAC-SHA256 of timestamp
 * and token with the webhook signing keys (current and next) and the timestamp's age; {@link
 * com.marketplace.jobs.api.mailgun.MailgunDeliveryEvents} stores the token (each token once) and
 * the event in one transaction and reflects delivered, failed, bounced and complained on the
 * touchpoint the event's {@code touchpoint-id} variable names. Refusals go to the security log
 * (channel {@code mailgun}): 401 when the signature does not verify (Mailgun retries), 406 when a
 * correctly signed call is stale or a replay (Mailgun stops retrying).
 */
package com.marketplace.jobs.api.mailgun;
