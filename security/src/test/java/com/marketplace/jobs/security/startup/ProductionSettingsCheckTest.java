package com.marketplace.jobs.security.startup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.mock.env.MockEnvironment;

/**
 * The production start-up rules, one setting at a time and together, against the dev defaults in
 * this module's test {@code application-dev.yaml} (the api's values).
 */
class ProductionSettingsCheckTest {

  private static final String TOKEN_KEY = "prod-token-key-current-0123456789abcdef";
  private static final String NEXT_TOKEN_KEY = "prod-token-key-next-0123456789abcdef";
  private static final String STRIPE_SECRET = "whsec_prod_current_0123456789abcdef";
  private static final String BILLION_SECRET = "billion_whsec_prod_current_0123456789";
  // 32 bytes: "production-payload-key-32-bytes!"
  private static final String PAYLOAD_KEY = "prod-1:cHJvZHVjdGlvbi1wYXlsb2FkLWtleS0zMi1ieXRlcyE=";
  private static final String MAILGUN_KEY = "mailgun-signing-key-current-0123456789";
  private static final String NEXT_MAILGUN_KEY = "mailgun-signing-key-next-0123456789";
  private static final String DB_PASSWORD = "a-long-production-password";

  private static final String OPS_HASH =
      "{bcrypt}$2a$10$y5eXg7tOw7wElwjf0EmJ0uCT6Sj0U07GQBe7sad/M4EYVsK.i5CQ6";
  private static final String DEV_OPS_HASH =
      "{bcrypt}$2a$10$3ijMcqMGhlce15eKB5/bEOcxYgenJVquEqAtfuI.nk/ceVyeK6raq";

  private static final String DEV_MAILGUN_KEY = "dev-only-mailgun-webhook-signing-key-0001";
  private static final String DEV_TOKEN_KEY = "dev-only-token-key-not-for-production-0001";
  private static final String DEV_PAYLOAD_KEY =
      "dev-2026:ZGV2LW9ubHktcGF5bG9hZC1rZXktMzItYnl0ZXMhISE=";

  private static Map<String, String> productionSettings() {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("jobs.security.token-keys", TOKEN_KEY + "," + NEXT_TOKEN_KEY);
    settings.put("jobs.security.trigger-auth", "true");
    settings.put("jobs.stripe.webhook-secrets", STRIPE_SECRET);
    settings.put("jobs.marketplace.webhook-secrets", BILLION_SECRET);
    settings.put("jobs.mailgun.webhook-signing-keys", MAILGUN_KEY + "," + NEXT_MAILGUN_KEY);
    settings.put("jobs.codec.keys", PAYLOAD_KEY);
    settings.put("spring.datasource.password", DB_PASSWORD);
    settings.put("jobs.ops.users.alice.password", OPS_HASH);
    settings.put("jobs.ops.users.alice.roles", "operator");
    return settings;
  }

  private static MockEnvironment environment(Map<String, String> settings, String... profiles) {
    MockEnvironment environment = new MockEnvironment();
    settings.forEach(environment::setProperty);
    environment.setActiveProfiles(profiles);
    return environment;
  }

  private static MockEnvironment productionWith(String property, String value) {
    Map<String, String> settings = productionSettings();
    if (value == null) {
      settings.remove(property);
    } else {
      settings.put(property, value);
    }
    return environment(settings);
  }

  private static InsecureSettingsException refusal(MockEnvironment environment) {
    return catchThrowableOfType(
        InsecureSettingsException.class, () -> ProductionSettings.api().verify(environment));
  }

  @Test
  void productionSettingsPass() {
    assertThat(ProductionSettings.api().problems(environment(productionSettings()))).isEmpty();
    assertThatCode(() -> ProductionSettings.api().verify(environment(productionSettings())))
        .doesNotThrowAnyException();
  }

  static Stream<Arguments> secrets() {
    return Stream.of(
        Arguments.of("jobs.security.token-keys", "JOBS_TOKEN_KEYS"),
        Arguments.of("jobs.stripe.webhook-secrets", "STRIPE_WEBHOOK_SECRETS"),
        Arguments.of("jobs.marketplace.webhook-secrets", "MARKETPLACE_WEBHOOK_SECRETS"),
        Arguments.of("jobs.mailgun.webhook-signing-keys", "MAILGUN_WEBHOOK_SIGNING_KEYS"),
        Arguments.of("jobs.codec.keys", "JOBS_PAYLOAD_KEYS"),
        Arguments.of("spring.datasource.password", "SPRING_DATASOURCE_PASSWORD"));
  }

  @ParameterizedTest(name = "{0} unset")
  @MethodSource("secrets")
  void aMissingSecretIsNamed(String property, String variable) {
    InsecureSettingsException refused = refusal(productionWith(property, null));

    assertThat(refused.problems())
        .singleElement()
        .satisfies(
            problem -> {
              assertThat(problem.property()).isEqualTo(property);
              assertThat(problem.environmentVariable()).isEqualTo(variable);
              assertThat(problem.rule()).isEqualTo(Rule.MISSING);
            });
    assertThat(refused.getMessage()).contains(property, variable, "missing");
  }

  @ParameterizedTest(name = "{0} blank")
  @MethodSource("secrets")
  void aBlankSecretIsMissing(String property, String variable) {
    assertThat(refusal(productionWith(property, "  ")).problems())
        .extracting(Problem::rule)
        .containsExactly(Rule.MISSING);
  }

  static Stream<Arguments> developmentDefaults() {
    return Stream.of(
        // from application-dev.yaml
        Arguments.of("jobs.security.token-keys", DEV_TOKEN_KEY),
        Arguments.of("jobs.security.token-keys", TOKEN_KEY + "," + DEV_TOKEN_KEY),
        Arguments.of("jobs.codec.keys", DEV_PAYLOAD_KEY),
        Arguments.of("jobs.mailgun.webhook-signing-keys", DEV_MAILGUN_KEY),
        Arguments.of("jobs.codec.keys", "renamed:ZGV2LW9ubHktcGF5bG9hZC1rZXktMzItYnl0ZXMhISE="),
        // well-known placeholders
        Arguments.of("jobs.security.token-keys", "changeme"),
        Arguments.of("jobs.stripe.webhook-secrets", "secret"),
        Arguments.of("jobs.marketplace.webhook-secrets", "ChangeMe"),
        Arguments.of("spring.datasource.password", "postgres"),
        Arguments.of("spring.datasource.password", "password"));
  }

  @ParameterizedTest(name = "{0}={1}")
  @MethodSource("developmentDefaults")
  void aDevelopmentDefaultIsNamed(String property, String value) {
    InsecureSettingsException refused = refusal(productionWith(property, value));

    assertThat(refused.problems())
        .singleElement()
        .satisfies(
            problem -> {
              assertThat(problem.property()).isEqualTo(property);
              assertThat(problem.rule()).isEqualTo(Rule.DEVELOPMENT_DEFAULT);
            });
    assertThat(refused.getMessage()).contains(property, "development default");
  }

  static Stream<Arguments> tooShort() {
    return Stream.of(
        Arguments.of("jobs.security.token-keys", "k".repeat(31)),
        Arguments.of("jobs.security.token-keys", TOKEN_KEY + "," + "short-next-key"),
        Arguments.of("jobs.stripe.webhook-secrets", "whsec_" + "x".repeat(17)),
        Arguments.of("jobs.marketplace.webhook-secrets", BILLION_SECRET + ",billion_whsec_short"),
        Arguments.of("jobs.codec.keys", "k1:" + "c2l4dGVlbi1ieXRlcy1rZQ=="), // 16 bytes
        Arguments.of("spring.datasource.password", "elevenchars"));
  }

  @ParameterizedTest(name = "{0}={1}")
  @MethodSource("tooShort")
  void aShortSecretIsNamed(String property, String value) {
    InsecureSettingsException refused = refusal(productionWith(property, value));

    assertThat(refused.problems())
        .singleElement()
        .satisfies(
            problem -> {
              assertThat(problem.property()).isEqualTo(property);
              assertThat(problem.rule()).isEqualTo(Rule.TOO_SHORT);
            });
  }

  @Test
  void theSecondOfTwoKeysIsNamedByPosition() {
    InsecureSettingsException refused =
        refusal(productionWith("jobs.security.token-keys", TOKEN_KEY + ",short-next-key"));

    assertThat(refused.problems().get(0).detail()).contains("entry 2 of 2");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void aMalformedPayloadKeyIsNamed(String value) {
    InsecureSettingsException refused = refusal(productionWith("jobs.codec.keys", value));

    assertThat(refused.problems())
        .singleElement()
        .satisfies(
            problem -> {
              assertThat(problem.property()).isEqualTo("jobs.codec.keys");
              assertThat(problem.environmentVariable()).isEqualTo("JOBS_PAYLOAD_KEYS");
              assertThat(problem.rule()).isEqualTo(Rule.MALFORMED);
            });
  }

  static Stream<String> aMalformedPayloadKeyIsNamed() {
    return Stream.of(
        "cHJvZHVjdGlvbi1wYXlsb2FkLWtleS0zMi1ieXRlcyE=", // no key id
        ":cHJvZHVjdGlvbi1wYXlsb2FkLWtleS0zMi1ieXRlcyE=", // empty key id
        "prod-1:", // no key
        "prod-1:not base64 at all!!",
        "prod-1:cHJvZHVjdGlvbi1wYXlsb2FkLWtleS0zMy1ieXRlcyEh"); // 33 bytes
  }

  @Test
  void triggerAuthenticationOffOutsideDevIsNamed() {
    InsecureSettingsException refused =
        refusal(productionWith("jobs.security.trigger-auth", "false"));

    assertThat(refused.problems())
        .singleElement()
        .satisfies(
            problem -> {
              assertThat(problem.property()).isEqualTo("jobs.security.trigger-auth");
              assertThat(problem.environmentVariable()).isEqualTo("JOBS_TRIGGER_AUTH");
              assertThat(problem.rule()).isEqualTo(Rule.OFF_OUTSIDE_DEV);
            });
  }

  @Test
  void triggerAuthenticationIsOnUnlessSaidOtherwise() {
    assertThat(
            ProductionSettings.api().problems(productionWith("jobs.security.trigger-auth", null)))
        .isEmpty();
    assertThat(refusal(productionWith("jobs.security.trigger-auth", "maybe")).problems())
        .extracting(Problem::rule)
        .containsExactly(Rule.MALFORMED);
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("jobs.security.trigger-auth", "false");
    settings.put("jobs.security.token-keys", DEV_TOKEN_KEY);
    settings.put("jobs.codec.keys", "nonsense");
    settings.put("spring.datasource.password", "short");

    InsecureSettingsException refused = refusal(environment(settings));

    assertThat(refused.problems())
        .extracting(Problem::property, Problem::rule)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "jobs.security.token-keys", Rule.DEVELOPMENT_DEFAULT),
            org.assertj.core.groups.Tuple.tuple("jobs.security.trigger-auth", Rule.OFF_OUTSIDE_DEV),
            org.assertj.core.groups.Tuple.tuple("jobs.stripe.webhook-secrets", Rule.MISSING),
            org.assertj.core.groups.Tuple.tuple("jobs.marketplace.webhook-secrets", Rule.MISSING),
            org.assertj.core.groups.Tuple.tuple("jobs.mailgun.webhook-signing-keys", Rule.MISSING),
            org.assertj.core.groups.Tuple.tuple("jobs.codec.keys", Rule.MALFORMED),
            org.assertj.core.groups.Tuple.tuple("spring.datasource.password", Rule.TOO_SHORT));
  }

  @Test
  void theDevProfileIsLenient() {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("jobs.security.trigger-auth", "false");
    settings.put("jobs.security.token-keys", DEV_TOKEN_KEY);
    settings.put("jobs.codec.keys", DEV_PAYLOAD_KEY);

    assertThatCode(() -> ProductionSettings.api().verify(environment(settings, "dev")))
        .doesNotThrowAnyException();
    assertThatCode(() -> ProductionSettings.api().verify(environment(Map.of(), "local", "dev")))
        .doesNotThrowAnyException();
    assertThatCode(() -> ProductionSettings.worker().verify(environment(Map.of(), "dev")))
        .doesNotThrowAnyException();
  }

  @Test
  void anotherProfileIsNotLenient() {
    assertThat(refusal(environment(Map.of(), "prod", "developer"))).isNotNull();
  }

  @Test
  void theWorkerNeedsThePayloadKeysAndTheDatabasePasswordOnly() {
    InsecureSettingsException refused =
        catchThrowableOfType(
            InsecureSettingsException.class,
            () ->
                ProductionSettings.worker()
                    .verify(environment(Map.of("jobs.security.trigger-auth", "false"))));

    assertThat(refused.problems())
        .extracting(Problem::property)
        .containsExactly("jobs.codec.keys", "spring.datasource.password");
    assertThat(
            ProductionSettings.worker()
                .problems(
                    environment(
                        Map.of(
                            "jobs.codec.keys",
                            PAYLOAD_KEY,
                            "spring.datasource.password",
                            DB_PASSWORD))))
        .isEmpty();
  }

  static Stream<Arguments> secretValues() {
    return Stream.concat(developmentDefaults(), tooShort())
        .filter(arguments -> !arguments.get()[1].toString().isBlank());
  }

  @ParameterizedTest(name = "{0}={1}")
  @MethodSource("secretValues")
  void noMessageCarriesTheValue(String property, String value) {
    InsecureSettingsException refused = refusal(productionWith(property, value));
    FailureAnalysis analysis = new InsecureSettingsFailureAnalyzer().analyze(refused);

    for (String entry : List.of(value.split(","))) {
      String secretPart = entry.contains(":") ? entry.substring(entry.indexOf(':') + 1) : entry;
      if (secretPart.length() < 10) {
        continue; // a placeholder such as "password" is also a word of the property's name
      }
      assertThat(refused.getMessage()).doesNotContain(secretPart);
      assertThat(analysis.getDescription()).doesNotContain(secretPart);
      assertThat(analysis.getAction()).doesNotContain(secretPart);
    }
  }

  @Test
  void theFailureAnalysisListsEveryProblemAndTheWayOut() {
    InsecureSettingsException refused = refusal(environment(Map.of()));

    FailureAnalysis analysis = new InsecureSettingsFailureAnalyzer().analyze(refused);

    assertThat(analysis.getDescription())
        .contains(
            "The api runs without the dev profile",
            "- jobs.security.token-keys (JOBS_TOKEN_KEYS): missing",
            "- jobs.stripe.webhook-secrets (STRIPE_WEBHOOK_SECRETS): missing",
            "- jobs.marketplace.webhook-secrets (MARKETPLACE_WEBHOOK_SECRETS): missing",
            "- jobs.codec.keys (JOBS_PAYLOAD_KEYS): missing",
            "- spring.datasource.password (SPRING_DATASOURCE_PASSWORD): missing");
    assertThat(analysis.getAction()).contains("SPRING_PROFILES_ACTIVE=dev");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unsafeOpsPasswords")
  void anOpsUserWithoutAProperHashIsNamedWithoutItsPassword(String password, Rule rule) {
    InsecureSettingsException refused =
        refusal(productionWith("jobs.ops.users.alice.password", password));

    assertThat(refused.problems())
        .singleElement()
        .satisfies(
            problem -> {
              assertThat(problem.property()).isEqualTo("jobs.ops.users");
              assertThat(problem.rule()).isEqualTo(rule);
              assertThat(problem.detail()).contains("user 'alice'");
            });
    assertThat(refused.getMessage()).doesNotContain(password.substring(password.indexOf('}') + 1));
  }

  static Stream<Arguments> unsafeOpsPasswords() {
    return Stream.of(
        Arguments.of("{noop}correct-horse-battery", Rule.MALFORMED),
        Arguments.of("correct-horse-battery-staple", Rule.MALFORMED),
        Arguments.of("{bcrypt}short", Rule.MALFORMED),
        Arguments.of(DEV_OPS_HASH, Rule.DEVELOPMENT_DEFAULT));
  }

  @Test
  void noOpsUsersAtAllIsAllowed() {
    Map<String, String> settings = productionSettings();
    settings.remove("jobs.ops.users.alice.password");
    settings.remove("jobs.ops.users.alice.roles");

    assertThat(ProductionSettings.api().problems(environment(settings))).isEmpty();
  }
}
