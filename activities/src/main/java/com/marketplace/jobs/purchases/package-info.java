/**
 * Purchase-status checks' activities (see the workflows module's {@code purchases} package): the
 * purchase provider's HTTP client ({@link com.marketplace.jobs.purchases.PurchaseProvider}), the
 * recording of its answers in {@code vehicle_purchases}, the stuck flag and its one email per
 * purchase.
 */
package com.marketplace.jobs.purchases;
