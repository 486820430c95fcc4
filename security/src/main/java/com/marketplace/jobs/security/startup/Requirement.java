package com.marketplace.jobs.security.startup;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;

/**
 * One setting a production start needs. Each check reports every problem it finds, never the value
 * itself: a list entry is named by its position.
 */
public sealed interface Requirement {

  String property();

  String environmentVariable();

  List<Problem> check(Binder settings, DevDefaults defaults);

  /** Comma-separated secrets (current, next), each at least {@code minimum} bytes or characters. */
  record Secrets(
      String property, String environmentVariable, String what, int minimum, boolean bytes)
      implements Requirement {

    @Override
    public List<Problem> check(Binder settings, DevDefaults defaults) {
      List<String> entries = entries(settings, property);
      String unit = bytes ? "bytes" : "characters";
      if (entries.isEmpty()) {
        return List.of(
            problem(
                this,
                Rule.MISSING,
                "set %s, comma-separated (current, next), each at least %d %s"
                    .formatted(what, minimum, unit)));
      }
      List<Problem> problems = new ArrayList<>();
      for (int i = 0; i < entries.size(); i++) {
        String entry = entries.get(i);
        int length = bytes ? entry.getBytes(StandardCharsets.UTF_8).length : entry.length();
        if (defaults.isDefault(property, entry)) {
          problems.add(problem(this, Rule.DEVELOPMENT_DEFAULT, developmentDefault(i, entries)));
        } else if (length < minimum) {
          problems.add(
              problem(
                  this,
                  Rule.TOO_SHORT,
                  "%s is shorter than %d %s".formatted(entryName(i, entries), minimum, unit)));
        }
      }
      return problems;
    }
  }

  /** One secret, e.g. a password, at least {@code minimumCharacters} long. */
  record Secret(String property, String environmentVariable, int minimumCharacters)
      implements Requirement {

    @Override
    public List<Problem> check(Binder settings, DevDefaults defaults) {
      String value = settings.bind(property, String.class).map(String::strip).orElse("");
      if (value.isEmpty()) {
        return List.of(
            problem(
                this,
                Rule.MISSING,
                "set a password of at least %d characters".formatted(minimumCharacters)));
      }
      if (defaults.isDefault(property, value)) {
        return List.of(
            problem(
                this,
                Rule.DEVELOPMENT_DEFAULT,
                "the value is a development default (application-dev.yaml) or a well-known"
                    + " placeholder"));
      }
      if (value.length() < minimumCharacters) {
        return List.of(
            problem(
                this, Rule.TOO_SHORT, "shorter than %d characters".formatted(minimumCharacters)));
      }
      return List.of();
    }
  }

  /**
   * Payload encryption keys, comma-separated {@code keyId:base64Key}, each key {@code keyBytes}
   * long once decoded; a key counts as a development default by its key material, whatever its id.
   */
  record PayloadKeys(String property, String environmentVariable, int keyBytes)
      implements Requirement {

    @Override
    public List<Problem> check(Binder settings, DevDefaults defaults) {
      List<String> entries = entries(settings, property);
      if (entries.isEmpty()) {
        return List.of(
            problem(
                this,
                Rule.MISSING,
                "set keyId:base64Key entries, comma-separated (the first encrypts), each key %d"
                        .formatted(keyBytes)
                    + " bytes after base64 decoding"));
      }
      List<byte[]> devKeys =
          defaults.entries(property).stream()
              .map(PayloadKeys::keyMaterial)
              .flatMap(Optional::stream)
              .toList();
      List<Problem> problems = new ArrayList<>();
      for (int i = 0; i < entries.size(); i++) {
        String name = entryName(i, entries);
        Optional<byte[]> key = keyMaterial(entries.get(i));
        int colon = entries.get(i).indexOf(':');
        if (colon <= 0 || colon == entries.get(i).length() - 1) {
          problems.add(problem(this, Rule.MALFORMED, name + " is not keyId:base64Key"));
        } else if (key.isEmpty()) {
          problems.add(problem(this, Rule.MALFORMED, name + "'s key is not valid base64"));
        } else if (defaults.isDefault(property, entries.get(i))
            || devKeys.stream().anyMatch(dev -> Arrays.equals(dev, key.get()))) {
          problems.add(problem(this, Rule.DEVELOPMENT_DEFAULT, developmentDefault(i, entries)));
        } else if (key.get().length < keyBytes) {
          problems.add(
              problem(
                  this,
                  Rule.TOO_SHORT,
                  "%s's key is shorter than %d bytes after base64 decoding"
                      .formatted(name, keyBytes)));
        } else if (key.get().length > keyBytes) {
          problems.add(
              problem(
                  this,
                  Rule.MALFORMED,
                  "%s's key is longer than %d bytes after base64 decoding"
                      .formatted(name, keyBytes)));
        }
      }
      return problems;
    }

    private static Optional<byte[]> keyMaterial(String entry) {
      int colon = entry.indexOf(':');
      try {
        return Optional.of(Base64.getDecoder().decode(entry.substring(colon + 1).strip()));
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
    }
  }

  /**
   * Users of a login page, {@code property.<name>.password}: each password a hash with its
   * algorithm's prefix ({@code {bcrypt}...}), never plain text ({@code {noop}} or no prefix), and
   * none of the development users' hashes. No users at all is allowed: nobody can log in then.
   */
  record PasswordHashes(String property, String environmentVariable) implements Requirement {

    private static final java.util.regex.Pattern HASH =
        java.util.regex.Pattern.compile(
            "\\{(bcrypt|argon2@SpringSecurity_v5_8|argon2|pbkdf2"
                + "@SpringSecurity_v5_8|pbkdf2|scrypt@SpringSecurity_v5_8|scrypt)}\\S{20,}");

    @Override
    public List<Problem> check(Binder settings, DevDefaults defaults) {
      java.util.Map<String, Object> users =
          settings
              .bind(property, Bindable.mapOf(String.class, Object.class))
              .orElse(java.util.Map.of());
      List<String> devHashes = defaults.fieldOfEveryEntry(property, "password");
      List<Problem> problems = new ArrayList<>();
      users.forEach(
          (name, user) -> {
            Object password =
                user instanceof java.util.Map<?, ?> fields ? fields.get("password") : null;
            String hash = password == null ? "" : password.toString().strip();
            String where = "user '" + name + "'";
            if (hash.isEmpty()) {
              problems.add(
                  problem(this, Rule.MISSING, where + " has no password hash (bin/ops-password)"));
            } else if (devHashes.contains(hash)) {
              problems.add(
                  problem(
                      this,
                      Rule.DEVELOPMENT_DEFAULT,
                      where + "'s password is a development user's (application-dev.yaml)"));
            } else if (!HASH.matcher(hash).matches()) {
              problems.add(
                  problem(
                      this,
                      Rule.MALFORMED,
                      where
                          + "'s password is not a hash such as {bcrypt}$2a$10$... (plain text and"
                          + " {noop} are refused; bin/ops-password makes one)"));
            }
          });
      return problems;
    }
  }

  /** A security switch that only the dev profile may turn off. */
  record Switch(String property, String environmentVariable, String what) implements Requirement {

    @Override
    public List<Problem> check(Binder settings, DevDefaults defaults) {
      String value = settings.bind(property, String.class).map(String::strip).orElse("true");
      switch (value.toLowerCase(Locale.ROOT)) {
        case "true":
          return List.of();
        case "false":
          return List.of(
              problem(this, Rule.OFF_OUTSIDE_DEV, what + " may be off only with the dev profile"));
        default:
          return List.of(problem(this, Rule.MALFORMED, "must be true or false"));
      }
    }
  }

  private static List<String> entries(Binder settings, String property) {
    return settings
        .bind(property, Bindable.listOf(String.class))
        .map(values -> values.stream().map(String::strip).filter(v -> !v.isEmpty()).toList())
        .orElse(List.of());
  }

  private static String entryName(int index, List<String> entries) {
    return entries.size() == 1 ? "the value" : "entry " + (index + 1) + " of " + entries.size();
  }

  private static String developmentDefault(int index, List<String> entries) {
    return entryName(index, entries)
        + " is a development default (application-dev.yaml) or a well-known placeholder";
  }

  private static Problem problem(Requirement requirement, Rule rule, String detail) {
    return new Problem(requirement.property(), requirement.environmentVariable(), rule, detail);
  }
}
