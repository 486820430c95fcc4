package com.marketplace.jobs.payments;

/**
 * The {@code payments} row after a step of a payment job.
 *
 * @param orderId null while no event carried the order id
 * @param capturedByUs whether this service's capture call collected it
 */
public record PaymentState(
    String paymentIntentId, Long orderId, PaymentStatus status, boolean capturedByUs) {}
