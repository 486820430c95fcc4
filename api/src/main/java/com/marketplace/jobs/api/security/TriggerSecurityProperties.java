package com.marketplace.jobs.api.security;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code jobs.security.*}: trigger-token checking.
 *
 * @param triggerAuth false only in the dev profile (the start-up check refuses it elsewhere)
 * @param tokenKeys HS256 secrets, current then next: a token signed with any of them is accepted,
 *     so callers move to a new key without downtime
 * @param issuer the {@code iss} every token must carry
 * @param audience a value the {@code aud} of every token must contain
 * @param clockSkew how far the caller's clock may be off for {@code exp} and {@code nbf}
 */
@ConfigurationProperties("jobs.security")
public record TriggerSecurityProperties(
    boolean triggerAuth,
    List<String> tokenKeys,
    String issuer,
    String audience,
    Duration clockSkew) {

  public TriggerSecurityProperties {
    tokenKeys =
        tokenKeys == null ? List.of() : tokenKeys.stream().filter(k -> !k.isBlank()).toList();
  }
}
