package com.marketplace.jobs.notifications;

/**
 * What Mailgun said when it accepted the email.
 *
 * @param jobId the job the email belongs to
 * @param providerMessageId Mailgun's message id, e.g. {@code <2026...@mg.example.com>}
 */
public record DeliveryReceipt(String jobId, String providerMessageId) {}
