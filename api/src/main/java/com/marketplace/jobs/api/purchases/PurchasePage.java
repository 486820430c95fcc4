package com.marketplace.jobs.api.purchases;

import java.util.List;

/**
 * One page of {@code GET /api/purchases}, newest (highest id) first.
 *
 * @param nextBefore pass as {@code before} to get the next page; null on the last page
 */
public record PurchasePage(List<PurchaseView> purchases, Long nextBefore) {}
