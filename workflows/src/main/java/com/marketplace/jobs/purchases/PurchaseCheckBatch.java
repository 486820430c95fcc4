package com.marketplace.jobs.purchases;

/**
 * What one {@code purchasesCheckBatch} call did.
 *
 * @param lastId the highest purchase id it looked at (the next call's {@code afterId}); the call's
 *     {@code afterId} when it found none
 * @param checked pending purchases it asked the provider about
 * @param completed of those, the ones the provider called completed (now COMPLETED)
 * @param failed of those, the ones the provider called failed (now FAILED)
 * @param refused of those, the ones the provider refused to answer about (a 4xx, recorded on the
 *     row; the purchase stays PENDING)
 */
public record PurchaseCheckBatch(long lastId, int checked, int completed, int failed, int refused) {

  /** Nothing looked at yet, from {@code afterId} on. */
  public static PurchaseCheckBatch from(long afterId) {
    return new PurchaseCheckBatch(afterId, 0, 0, 0, 0);
  }
}
