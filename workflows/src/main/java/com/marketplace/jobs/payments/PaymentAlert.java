package com.marketplace.jobs.payments;

/**
 * What the finance contact is told when a payment job has failed for good.
 *
 * @param errorType the failure type ({@code PROVIDER_UNAVAILABLE}, {@code PROVIDER_REJECTED}, ...)
 * @param errorMessage our own message: ids and HTTP statuses, no personal data
 */
public record PaymentAlert(
    String jobId,
    String eventId,
    String eventType,
    String paymentIntentId,
    Long orderId,
    String errorType,
    String errorMessage) {}
