package com.marketplace.jobs.api.security;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * The trigger-token decoder: Nimbus verifies HS256 against every configured key (current and next:
 * a token without a key id is tried with each), Spring Security's validators check issuer,
 * audience, expiry and not-before with the allowed clock skew. A token without an expiry is
 * refused: a trigger token must not live forever.
 */
final class TriggerTokenDecoder {

  private TriggerTokenDecoder() {}

  static JwtDecoder of(TriggerSecurityProperties properties) {
    List<JWK> keys =
        properties.tokenKeys().stream()
            .map(
                key ->
                    (JWK)
                        new OctetSequenceKey.Builder(key.getBytes(StandardCharsets.UTF_8))
                            .algorithm(JWSAlgorithm.HS256)
                            .build())
            .toList();
    DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    processor.setJWSKeySelector(
        new JWSVerificationKeySelector<>(
            JWSAlgorithm.HS256, new ImmutableJWKSet<>(new JWKSet(keys))));
    // Claims are Spring's to check (below); Nimbus's own default would duplicate the time checks.
    processor.setJWTClaimsSetVerifier((claims, context) -> {});
    NimbusJwtDecoder decoder = new NimbusJwtDecoder(processor);
    decoder.setJwtValidator(
        new DelegatingOAuth2TokenValidator<>(
            new JwtClaimValidator<Instant>(JwtClaimNames.EXP, Objects::nonNull),
            new JwtTimestampValidator(properties.clockSkew()),
            new JwtIssuerValidator(properties.issuer()),
            new JwtClaimValidator<List<String>>(
                JwtClaimNames.AUD,
                audience -> audience != null && audience.contains(properties.audience()))));
    return decoder;
  }
}
