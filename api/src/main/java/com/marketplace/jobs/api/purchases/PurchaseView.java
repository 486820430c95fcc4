package com.marketplace.jobs.api.purchases;

import java.time.OffsetDateTime;

/**
 * One vehicle purchase, as {@code GET /api/purchases} and {@code /ops/purchases} show it.
 *
 * @param status {@code PENDING}, {@code COMPLETED} or {@code FAILED}
 * @param lastCheckedAt the last time the provider was asked about it; null before the first check
 * @param lastCheckError the provider's last refusal to answer about it (e.g. an unknown reference),
 *     cleared by its next good answer
 * @param failureReason the provider's reason for a FAILED purchase
 * @param stuckFlaggedAt when it was flagged as pending too long (its company was emailed then);
 *     null if never
 * @param stuck flagged and still pending: what an operator has to look at
 */
public record PurchaseView(
    long id,
    long vehicleId,
    long companyId,
    String providerReference,
    String status,
    OffsetDateTime requestedAt,
    OffsetDateTime lastCheckedAt,
    String lastCheckError,
    OffsetDateTime completedAt,
    OffsetDateTime failedAt,
    String failureReason,
    OffsetDateTime stuckFlaggedAt,
    boolean stuck) {}
