package com.marketplace.jobs.security.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/token}: what it signs, with which key, for which body; and its refusals. */
class TokenCommandTest {

  private static final String CURRENT = "token-command-test-key-current-0123456789";
  private static final String NEXT = "token-command-test-key-next-0123456789abcd";

  @Test
  void signsWithTheFirstKeyForTheExactBytesOfTheBodyFile(@TempDir Path dir) throws Exception {
    Path body = dir.resolve("ban.json");
    Files.writeString(body, "{\"reason\": \"Fraud reports\"}\n");

    SignedJWT jwt =
        SignedJWT.parse(
            TokenCommand.token(
                new String[] {"--scope", "jobs:write", "--body-file", body.toString()},
                CURRENT + "," + NEXT));

    assertThat(jwt.verify(new MACVerifier(CURRENT.getBytes(StandardCharsets.UTF_8)))).isTrue();
    assertThat(jwt.verify(new MACVerifier(NEXT.getBytes(StandardCharsets.UTF_8)))).isFalse();
    var claims = jwt.getJWTClaimsSet();
    assertThat(claims.getIssuer()).isEqualTo(TriggerToken.DEFAULT_ISSUER);
    assertThat(claims.getAudience()).containsExactly(TriggerToken.DEFAULT_AUDIENCE);
    assertThat(claims.getStringClaim("scope")).isEqualTo("jobs:write");
    assertThat(claims.getStringClaim("body"))
        .isEqualTo(TriggerToken.hashOf(Files.readAllBytes(body)))
        .doesNotContain("=", "+", "/");
    assertThat(claims.getExpirationTime().toInstant())
        .isBetween(Instant.now().plusSeconds(290), Instant.now().plusSeconds(301));
  }

  @Test
  void aReadTokenHasNoBodyClaimAndTheTtlAsked() throws Exception {
    var claims =
        SignedJWT.parse(
                TokenCommand.token(new String[] {"--scope", "jobs:read", "--ttl", "90s"}, CURRENT))
            .getJWTClaimsSet();
    assertThat(claims.getClaim("body")).isNull();
    assertThat(
            Duration.between(
                claims.getNotBeforeTime().toInstant(), claims.getExpirationTime().toInstant()))
        .isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void theHashIsTheBase64UrlSha256OfTheBytes() {
    // SHA-256 of the empty string, base64url without padding.
    assertThat(TriggerToken.hashOf(new byte[0]))
        .isEqualTo("47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU");
  }

  @Test
  void refusesWithoutKeysAShortKeyAnUnknownOptionOrABadTtl() {
    assertThatThrownBy(() -> TokenCommand.token(new String[0], null))
        .hasMessageContaining("JOBS_TOKEN_KEYS is not set");
    assertThatThrownBy(() -> TokenCommand.token(new String[0], "too-short"))
        .hasMessageContaining("could not sign");
    assertThatThrownBy(() -> TokenCommand.token(new String[] {"--scopes", "x"}, CURRENT))
        .hasMessageContaining("unknown option --scopes");
    assertThatThrownBy(() -> TokenCommand.token(new String[] {"--ttl", "soon"}, CURRENT))
        .hasMessageContaining("--ttl takes a duration");
    assertThatThrownBy(() -> TokenCommand.token(new String[] {"--body-file"}, CURRENT))
        .hasMessageContaining("--body-file needs a value");
  }
}
