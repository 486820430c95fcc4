package com.marketplace.jobs.notifications;

import java.util.Map;

/**
 * One email to one customer.
 *
 * @param jobId the ledger's job id; also the delivery's idempotency key
 * @param customerId the platform customer to write to
 * @param template an {@link EmailTemplate} id
 * @param params template parameters beyond the customer's own data
 */
public record NotificationRequest(
    String jobId, long customerId, String template, Map<String, String> params) {}
