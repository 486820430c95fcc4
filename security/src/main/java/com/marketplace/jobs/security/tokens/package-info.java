/**
 * Trigger tokens: the HS256 JWTs systems send to the api's {@code /api/**}. This package makes them
 * (for callers, the system tests and {@code bin/token}); the api's {@code security} package checks
 * them with Spring Security.
 */
package com.marketplace.jobs.security.tokens;
