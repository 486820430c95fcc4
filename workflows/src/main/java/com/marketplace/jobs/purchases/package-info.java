/**
 * Purchase-status checks. The {@code purchase-status-checks} schedule starts {@link
 * com.marketplace.jobs.purchases.PurchaseStatusCheckWorkflow} every 30 minutes. It walks the
 * PENDING rows of {@code vehicle_purchases} in id order, in batches, asking the purchase provider
 * about each one: {@code completed} and {@code failed} end the purchase, {@code pending} leaves it,
 * and a provider refusal for one purchase (a 4xx such as an unknown reference) is recorded on that
 * row without stopping the others. Then every purchase still pending longer than {@code
 * jobs.purchases.stuck-after} and not yet flagged is flagged, once, together with a touchpoint
 * ({@code purchase_stuck}) that owes its company one email; the last step sends the emails owed.
 * Nothing is undone: every step only moves a purchase forward.
 */
package com.marketplace.jobs.purchases;
