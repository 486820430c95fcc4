/**
 * Limits every request meets before a controller sees it: a body over {@code
 * jobs.requests.max-body-size} is refused with 413 (from its Content-Length at once, or as soon as
 * a chunked body passes the limit, never reading more than that into memory), and an {@code
 * Idempotency-Key} header over 255 characters with 400. Both answer RFC 9457 problem JSON and write
 * nothing.
 */
package com.marketplace.jobs.api.limits;
