package com.marketplace.jobs.api.ops;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The /ops page ({@code jobs.ops.*}).
 *
 * @param users who may log in: user name → password hash and roles. Hashes in Spring Security's
 *     form, {@code {bcrypt}$2a$10$...} ({@code bin/ops-password} makes one); outside the dev
 *     profile the api refuses plain-text ({@code {noop}}) passwords and the development users'
 *     hashes
 * @param refreshInterval how often the page's live parts reload
 * @param temporalUiUrl the Temporal Web UI, for the links from a job to its workflow
 */
@ConfigurationProperties("jobs.ops")
public record OpsProperties(
    Map<String, User> users,
    @DefaultValue("5s") Duration refreshInterval,
    @DefaultValue("http://127.0.0.1:8233") URI temporalUiUrl) {

  /**
   * @param password the password's hash, with its {@code {id}} prefix
   * @param roles {@code viewer} and/or {@code operator}
   */
  public record User(String password, List<String> roles) {}

  public OpsProperties {
    users = users == null ? Map.of() : new TreeMap<>(users);
    users.forEach(OpsProperties::check);
    if (temporalUiUrl.getScheme() == null || temporalUiUrl.getHost() == null) {
      throw new IllegalArgumentException(
          "jobs.ops.temporal-ui-url must be an absolute URL such as http://127.0.0.1:8233, not "
              + temporalUiUrl);
    }
    if (refreshInterval.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException(
          "jobs.ops.refresh-interval must be at least 1s, not " + refreshInterval);
    }
  }

  private static void check(String name, User user) {
    String property = "jobs.ops.users." + name;
    if (user.password() == null || user.password().isBlank()) {
      throw new IllegalArgumentException(property + ".password is missing");
    }
    if (user.roles() == null || user.roles().isEmpty()) {
      throw new IllegalArgumentException(
          property + ".roles is missing: give viewer and/or operator");
    }
    user.roles().forEach(role -> role(property, role));
  }

  /** The role a configuration value names. */
  static OpsRole role(String property, String value) {
    try {
      return OpsRole.valueOf(value.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          property + ".roles: '" + value + "' is not a role; use viewer or operator");
    }
  }
}
