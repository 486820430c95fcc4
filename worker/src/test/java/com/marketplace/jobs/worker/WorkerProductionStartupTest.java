package com.marketplace.jobs.worker;

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
 * The real worker application started as {@code main} starts it, with its own application.yaml and
 * application-dev.yaml, without the dev profile: the payload keys or the database password missing,
 * or set to a development default, stop the start before any bean exists (so before Flyway or a
 * Temporal poller), with Spring Boot's "APPLICATION FAILED TO START" naming the property and its
 * variable, never the value. PostgreSQL and Temporal point at a closed port.
 */
@ExtendWith(OutputCaptureExtension.class)
class WorkerProductionStartupTest {

  private static final String DEV_PAYLOAD_KEY =
      "dev-2026:ZGV2LW9ubHktcGF5bG9hZC1rZXktMzItYnl0ZXMhISE=";

  private static Map<String, String> productionSettings() {
    Map<String, String> settings = new LinkedHashMap<>();
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
    new SpringApplicationBuilder(WorkerApplication.class)
        .initializers(
            (GenericApplicationContext context) ->
                context.registerBean(PastTheCheck.class, PastTheCheck::new))
        .run(arguments(settings))
        .close();
  }

  static Stream<Arguments> missingOrDevelopmentDefault() {
    return Stream.of(
        Arguments.of("jobs.codec.keys", "JOBS_PAYLOAD_KEYS", "missing", ""),
        Arguments.of(
            "jobs.codec.keys", "JOBS_PAYLOAD_KEYS", "development default", DEV_PAYLOAD_KEY),
        Arguments.of("jobs.codec.keys", "JOBS_PAYLOAD_KEYS", "too short", "k:c2hvcnQ="),
        Arguments.of("jobs.codec.keys", "JOBS_PAYLOAD_KEYS", "malformed", "no-key-id"),
        Arguments.of("spring.datasource.password", "SPRING_DATASOURCE_PASSWORD", "missing", ""),
        Arguments.of(
            "spring.datasource.password",
            "SPRING_DATASOURCE_PASSWORD",
            "development default",
            "changeme"),
        Arguments.of(
            "spring.datasource.password", "SPRING_DATASOURCE_PASSWORD", "too short", "short-pw"));
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
            "The worker runs without the dev profile",
            "- " + property + " (" + variable + "): " + rule);
    if (value.length() > 8) {
      assertThat(output).doesNotContain(value.substring(value.indexOf(':') + 1));
    }
  }

  @Test
  void namesBothProblemsAtOnce(CapturedOutput output) {
    Map<String, String> settings = productionSettings();
    settings.put("jobs.codec.keys", "");
    settings.put("spring.datasource.password", "postgres");

    assertThatThrownBy(() -> start(settings)).isInstanceOf(InsecureSettingsException.class);
    assertThat(output)
        .contains(
            "jobs.codec.keys (JOBS_PAYLOAD_KEYS): missing",
            "spring.datasource.password (SPRING_DATASOURCE_PASSWORD): development default");
  }

  @Test
  void productionSettingsPassTheCheck() {
    assertThatThrownBy(() -> start(productionSettings())).isInstanceOf(PastTheCheck.Reached.class);
  }

  @Test
  void theDevProfileStartsPastTheCheckWithItsDefaults(CapturedOutput output) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("spring.profiles.active", "dev");
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
