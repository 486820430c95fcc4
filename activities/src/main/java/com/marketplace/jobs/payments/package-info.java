/**
 * Payment activities: {@link com.marketplace.jobs.payments.PaymentActivitiesImpl} over the {@code
 * payments}/{@code orders} SQL ({@code Payments}: status precedence, first known values), Stripe
 * through stripe-java ({@link com.marketplace.jobs.payments.StripeJavaPayments}: capture with an
 * idempotency key, errors mapped to retryable or not) and the finance alert (once per job, {@code
 * payment_alerts}).
 */
package com.marketplace.jobs.payments;
