package com.marketplace.jobs.notifications;

/**
 * A rendered email, ready for a {@link MailSender}.
 *
 * @param jobId attached to the message as a custom variable, so a delivery can be traced back
 * @param tag the template id, for the provider's per-template statistics
 */
public record OutgoingEmail(
    String to, String subject, String text, String html, String jobId, String tag) {}
