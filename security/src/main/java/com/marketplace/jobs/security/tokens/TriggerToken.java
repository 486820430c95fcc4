package com.marketplace.jobs.security.tokens;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.UUID;

/**
 * One trigger token to sign: issuer, audience, scope, lifetime and, for a request with a body, the
 * {@code body} claim (base64url SHA-256 of the exact bytes sent), so the token cannot be replayed
 * with another body. Immutable; each {@code with...} returns a changed copy.
 */
public record TriggerToken(
    String issuer,
    String audience,
    String scope,
    String bodyHash,
    Instant notBefore,
    Instant expiresAt) {

  /** The issuer and audience the api expects unless configured otherwise. */
  public static final String DEFAULT_ISSUER = "marketplace-platform";

  public static final String DEFAULT_AUDIENCE = "background-jobs";

  /** Scope to trigger jobs (POST) and to read them (GET, the codec endpoint). */
  public static final String WRITE = "jobs:write";

  public static final String READ = "jobs:read";

  /** A token valid from now for {@code lifetime}, for the default issuer and audience. */
  public static TriggerToken of(String scope, Duration lifetime) {
    Instant now = Instant.now();
    return new TriggerToken(DEFAULT_ISSUER, DEFAULT_AUDIENCE, scope, null, now, now.plus(lifetime));
  }

  /** The {@code body} claim of a request body: base64url (no padding) of its SHA-256. */
  public static String hashOf(byte[] body) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }

  public TriggerToken withBody(byte[] body) {
    return new TriggerToken(issuer, audience, scope, hashOf(body), notBefore, expiresAt);
  }

  public TriggerToken withBody(String body) {
    return withBody(body.getBytes(StandardCharsets.UTF_8));
  }

  public TriggerToken withIssuer(String value) {
    return new TriggerToken(value, audience, scope, bodyHash, notBefore, expiresAt);
  }

  public TriggerToken withAudience(String value) {
    return new TriggerToken(issuer, value, scope, bodyHash, notBefore, expiresAt);
  }

  public TriggerToken withScope(String value) {
    return new TriggerToken(issuer, audience, value, bodyHash, notBefore, expiresAt);
  }

  public TriggerToken withValidity(Instant from, Instant until) {
    return new TriggerToken(issuer, audience, scope, bodyHash, from, until);
  }

  /** The compact JWT, HS256 with {@code key} (at least 32 bytes, as HS256 requires). */
  public String signedWith(String key) {
    JWTClaimsSet.Builder claims =
        new JWTClaimsSet.Builder()
            .issuer(issuer)
            .audience(audience)
            .jwtID(UUID.randomUUID().toString())
            .issueTime(Date.from(notBefore))
            .notBeforeTime(Date.from(notBefore))
            .expirationTime(Date.from(expiresAt));
    if (scope != null) {
      claims.claim("scope", scope);
    }
    if (bodyHash != null) {
      claims.claim("body", bodyHash);
    }
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
    try {
      jwt.sign(new MACSigner(key.getBytes(StandardCharsets.UTF_8)));
    } catch (JOSEException e) {
      throw new IllegalArgumentException("could not sign with this key: " + e.getMessage(), e);
    }
    return jwt.serialize();
  }
}
