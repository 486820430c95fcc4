/**
 * The Billion marketplace, where companies' vehicles are listed: {@link
 * com.marketplace.jobs.marketplace.MarketplaceClient} withdraws a company's vehicles and lists them
 * again (company moderation sagas use it) and confirms or rejects bookings made there; {@link
 * com.marketplace.jobs.marketplace.BillionMarketplaceClient} speaks Billion's HTTP API. {@link
 * com.marketplace.jobs.marketplace.MarketplaceEventActivitiesImpl} applies Billion's events
 * (listing removals, bookings and their cancellations) to our rows ({@code MarketplaceBookings})
 * and answers bookings through the client.
 *
 * <p>The contract (docs/integrations/billion-marketplace.md):
 *
 * <ul>
 *   <li>{@code POST {baseUrl}/v1/listings/withdraw} and {@code POST {baseUrl}/v1/listings/publish},
 *       {@code Content-Type: application/json}, body {@code {"companyId": 101, "vehicleIds": [1,
 *       2]}} with 1 to 100 ids;
 *   <li>{@code POST {baseUrl}/v1/bookings/{bookingId}/confirm {"orderId": 9000000000001}} and
 *       {@code POST {baseUrl}/v1/bookings/{bookingId}/reject {"reason": "company_banned"}};
 *   <li>headers {@code Authorization: Bearer <apiKey>}, {@code Idempotency-Key: <key>}, {@code
 *       X-Billion-Timestamp: <unix seconds>} and {@code X-Billion-Signature: v1=<lowercase hex
 *       HMAC-SHA256, keyed with the signing secret, over "<timestamp>.<exact body bytes>">};
 *       Billion refuses a signature whose timestamp is more than 300 s from its clock;
 *   <li>both operations are idempotent: withdrawing an unlisted vehicle or listing a listed one is
 *       not an error; a repeat with the same idempotency key and body is answered like the first,
 *       the same key with another request is refused (422);
 *   <li>2xx: done. 429, 5xx, network errors and timeouts: a retryable {@code ApplicationFailure} of
 *       type {@code PROVIDER_UNAVAILABLE} ("Marketplace answered HTTP 503"). Any other status:
 *       non-retryable {@code PROVIDER_REJECTED} ("Marketplace refused the request: HTTP 400").
 *       Messages carry the status code, never Billion's answer.
 * </ul>
 *
 * <p>Configuration: {@link com.marketplace.jobs.marketplace.MarketplaceProperties} ({@code
 * jobs.marketplace.*}). In development and tests a local fake stands in for Billion ({@code
 * devstack}'s {@code MarketplaceFake}).
 */
package com.marketplace.jobs.marketplace;
