/**
 * Who may call what. Systems call {@code /api/**} with an HS256 trigger token (Spring Security's
 * resource server checks signature, issuer, audience, expiry, not-before and scope: {@code
 * jobs:write} to trigger, {@code jobs:read} to read); {@link
 * com.marketplace.jobs.api.security.BodyHashFilter} adds the one check no library does, the {@code
 * body} claim against the exact request body. Every refusal is a 401/403 problem and a row in
 * {@code security_log} ({@link com.marketplace.jobs.api.security.SecurityLog}), shared with the
 * webhooks' signature checks. The dev profile may switch trigger authentication off.
 */
package com.marketplace.jobs.api.security;
