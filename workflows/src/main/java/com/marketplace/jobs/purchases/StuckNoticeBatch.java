package com.marketplace.jobs.purchases;

/**
 * What one {@code purchasesSendStuckNotices} call did.
 *
 * @param sent emails about stuck purchases handed to Mailgun by this call
 * @param refused emails Mailgun refused for good (a bad company address): not retried
 */
public record StuckNoticeBatch(int sent, int refused) {}
