package com.marketplace.jobs.search;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where and how to reach the search service, an OpenSearch cluster ({@code jobs.search.*}).
 *
 * @param url the cluster's HTTP endpoint, e.g. {@code http://127.0.0.1:9200}; a path, if any, is
 *     the prefix of every request (a proxy)
 * @param index the index holding the vehicles; created with its mapping on first use if missing
 * @param companiesIndex the index holding the companies; created like the vehicles index
 * @param timeout connect and response timeout of one request
 * @param username basic-auth user, or empty when the cluster has no security
 * @param password basic-auth password; from the environment, never from a committed file
 */
@Validated
@ConfigurationProperties("jobs.search")
public record SearchProperties(
    @NotNull URI url,
    @DefaultValue("vehicles") @NotBlank String index,
    @DefaultValue("companies") @NotBlank String companiesIndex,
    @DefaultValue("10s") @NotNull Duration timeout,
    String username,
    String password) {

  public SearchProperties {
    if (url != null && (url.getScheme() == null || url.getHost() == null)) {
      throw new IllegalArgumentException(
          "jobs.search.url must be an absolute http(s) URL such as http://127.0.0.1:9200, not "
              + url);
    }
    if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
      throw new IllegalArgumentException("jobs.search.timeout must be positive");
    }
  }

  /** Whether requests carry basic auth. */
  public boolean hasCredentials() {
    return username != null && !username.isBlank();
  }

  @Override
  public String toString() {
    // The password must never reach a log line.
    return ("SearchProperties[url=%s, index=%s, companiesIndex=%s, timeout=%s, username=%s,"
            + " password=%s]")
        .formatted(
            url, index, companiesIndex, timeout, username, password == null ? null : "******");
  }
}
