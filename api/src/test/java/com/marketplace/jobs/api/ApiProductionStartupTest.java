package com.marketplace.jobs.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marketplace.jobs.security.startup.InsecureSettingsException;
import com.marketplace.jobs.security.startup.Problem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.Ordered;

/**
 * The real api application started as {@code main} starts it, with its own application.yaml and
 * application-dev.yaml, without the dev profile: each required secret missing, or set to a
 * development default, stops the start before any bean exists, with Spring Boot's "APPLICATION
 * FAILED TO START" naming the property and its variable, never the value. PostgreSQL and Temporal
 * point at a closed port, so a start that got as far as either would fail differently.
 */
@ExtendWith(OutputCaptureExtension.class)
class ApiProductionStartupTest {

  private static final String DEV_TOKEN_KEY = "dev-only-token-key-not-for-production-0001";
  private static final String DEV_PAYLOAD_KEY =
      "dev-2026:ZGV2LW9ubHktcGF5bG9hZC1rZXktMzItYnl0ZXMhISE=";

  private static Map<String, String> productionSettings() {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("jobs.security.token-keys", "startup-test-token-key-current-0123456789");
    settings.put("jobs.stripe.webhook-secrets", "whsec_startup_test_0123456789abcdef");
    settings.put("jobs.marketplace.webhook-secrets", "billion_whsec_startup_test_0123456789");
    settings.put("jobs.mailgun.webhook-signing-keys", "mailgun-signing-key-startup-test-0123");
    // "startup-test-payload-key-32bytes" in base64
    settings.put("jobs.codec.keys", "test-1:c3RhcnR1cC10ZXN0LXBheWxvYWQta2V5LTMyYnl0ZXM=");
    settings.put("spring.datasource.password", "startup-test-db-password");
    settings.put("spring.datasource.url", "jdbc:postgresql://127.0.0.1:1/postgres");
    settings.put("spring.temporal.connection.target", "127.0.0.1:1");
    settings.put("server.port", "0");
    return settings;
  }

  /** Command-line arguments: they outrank application.yaml, as the environment does. */
  private static String[] arguments(Map<String, String> settings) {
    List<String> arguments = new ArrayList<>();
    settings.forEach((property, value) -> arguments.add("--" + property + "=" + value));
    return arguments.toArray(String[]::new);
  }

  private static void start(Map<String, String> settings) {
    new SpringApplicationBuilder(ApiApplication.class)
        .initializers(
            (GenericApplicationContext context) ->
                context.registerBean(PastTheCheck.class, PastTheCheck::new))
        .run(arguments(settings))
        .close();
  }

  static Stream<Arguments> missingOrDevelopmentDefault() {
    return Stream.of(
        Arguments.of("jobs.security.token-keys", "JOBS_TOKEN_KEYS", "missing", ""),
        Arguments.of(
            "jobs.security.token-keys", "JOBS_TOKEN_KEYS", "development default", DEV_TOKEN_KEY),
        Arguments.of("jobs.stripe.webhook-secrets", "STRIPE_WEBHOOK_SECRETS", "missing", ""),
        Arguments.of(
            "jobs.stripe.webhook-secrets",
            "STRIPE_WEBHOOK_SECRETS",
            "development default",
            "changeme"),
        Arguments.of(
            "jobs.marketplace.webhook-secrets", "MARKETPLACE_WEBHOOK_SECRETS", "missing", ""),
        Arguments.of(
            "jobs.marketplace.webhook-secrets",
            "MARKETPLACE_WEBHOOK_SECRETS",
            "development default",
            "secret"),
        Arguments.of(
            "jobs.mailgun.webhook-signing-keys", "MAILGUN_WEBHOOK_SIGNING_KEYS", "missing", ""),
        Arguments.of(
            "jobs.mailgun.webhook-signing-keys",
            "MAILGUN_WEBHOOK_SIGNING_KEYS",
            "development default",
            "dev-only-mailgun-webhook-signing-key-0001"),
        Arguments.of("jobs.codec.keys", "JOBS_PAYLOAD_KEYS", "missing", ""),
        Arguments.of(
            "jobs.codec.keys", "JOBS_PAYLOAD_KEYS", "development default", DEV_PAYLOAD_KEY),
        Arguments.of("spring.datasource.password", "SPRING_DATASOURCE_PASSWORD", "missing", ""),
        Arguments.of(
            "spring.datasource.password",
            "SPRING_DATASOURCE_PASSWORD",
            "development default",
            "postgres"),
        Arguments.of(
            "jobs.security.trigger-auth",
            "JOBS_TRIGGER_AUTH",
            "off outside the dev profile",
            "false"));
  }

  @ParameterizedTest(name = "{0} {2}")
  @MethodSource("missingOrDevelopmentDefault")
  void refusesToStartNamingTheSetting(
      String property, String variable, String rule, String value, CapturedOutput output) {
    Map<String, String> settings = productionSettings();
    settings.put(property, value);

    assertThatThrownBy(() -> start(settings))
        .isInstanceOfSatisfying(
            InsecureSettingsException.class,
            refused ->
                assertThat(refused.problems())
                    .extracting(Problem::property)
                    .containsExactly(property));
    assertThat(output)
        .contains(
            "APPLICATION FAILED TO START",
            "Description:",
            "Action:",
            "- " + property + " (" + variable + "): " + rule,
            "SPRING_PROFILES_ACTIVE=dev");
    if (value.length() > 8) {
      assertThat(output).doesNotContain(value.substring(value.indexOf(':') + 1));
    }
  }

  @Test
  void namesEveryProblemAtOnce(CapturedOutput output) {
    Map<String, String> settings = productionSettings();
    settings.put("jobs.security.token-keys", "");
    settings.put("jobs.security.trigger-auth", "false");
    settings.put("jobs.stripe.webhook-secrets", "whsec_short");
    settings.put("jobs.marketplace.webhook-secrets", "");
    settings.put("jobs.codec.keys", "no-key-id");
    settings.put("spring.datasource.password", "");

    assertThatThrownBy(() -> start(settings)).isInstanceOf(InsecureSettingsException.class);
    assertThat(output)
        .contains(
            "jobs.security.token-keys (JOBS_TOKEN_KEYS): missing",
            "jobs.security.trigger-auth (JOBS_TRIGGER_AUTH): off outside the dev profile",
            "jobs.stripe.webhook-secrets (STRIPE_WEBHOOK_SECRETS): too short",
            "jobs.marketplace.webhook-secrets (MARKETPLACE_WEBHOOK_SECRETS): missing",
            "jobs.codec.keys (JOBS_PAYLOAD_KEYS): malformed",
            "spring.datasource.password (SPRING_DATASOURCE_PASSWORD): missing");
  }

  @Test
  void productionSettingsPassTheCheck() {
    assertThatThrownBy(() -> start(productionSettings())).isInstanceOf(PastTheCheck.Reached.class);
  }

  @Test
  void theDevProfileStartsPastTheCheckWithItsDefaults(CapturedOutput output) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("spring.profiles.active", "dev");
    settings.put("jobs.stripe.webhook-secrets", "whsec_dev");
    settings.put("jobs.marketplace.webhook-secrets", "billion_whsec_dev");
    settings.put("spring.datasource.password", "");
    settings.put("server.port", "0");

    assertThatThrownBy(() -> start(settings)).isInstanceOf(PastTheCheck.Reached.class);
    assertThat(output)
        .contains("Profile dev: production settings are not enforced")
        .doesNotContain("APPLICATION FAILED TO START");
  }

  /**
   * Runs after the check, still before any bean is created: reaching it means the check let the
   * start go on. Its failure ends the start there, so the test needs no database or Temporal.
   */
  static final class PastTheCheck implements BeanFactoryPostProcessor, Ordered {

    static final class Reached extends RuntimeException {
      Reached() {
        super("past the production settings check");
      }
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
      throw new Reached();
    }

    @Override
    public int getOrder() {
      return Ordered.LOWEST_PRECEDENCE;
    }
  }
}
