package com.marketplace.jobs.security.startup;

import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.Ordered;
import org.springframework.core.PriorityOrdered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;

/**
 * Refuses a start outside the dev profile while any {@link Requirement} is unmet, naming every
 * problem at once ({@link InsecureSettingsException}, reported by {@link
 * InsecureSettingsFailureAnalyzer}).
 *
 * <p>A bean factory post-processor, declared by a {@code static @Bean} method of each app's own
 * configuration: it runs once the context has read its bean definitions and before any bean is
 * created, so a refused start never opens a database connection, runs Flyway or dials Temporal.
 * Declared by the apps' scanned configuration (not on the application class, nor as an environment
 * post-processor), so test slices such as {@code @WebMvcTest} do not see it.
 */
public final class ProductionSettingsCheck
    implements BeanFactoryPostProcessor, EnvironmentAware, PriorityOrdered {

  /** The profile that may run with development defaults and with trigger authentication off. */
  public static final String DEV_PROFILE = "dev";

  private static final Logger log = LoggerFactory.getLogger(ProductionSettingsCheck.class);

  private final String application;
  private final List<Requirement> requirements;
  private final DevDefaults defaults;
  private Environment environment;

  /**
   * @param application how messages name the app ("api", "worker")
   * @param requirements what a production start needs
   * @param defaults the values that mark a development setting
   */
  public ProductionSettingsCheck(
      String application, List<Requirement> requirements, DevDefaults defaults) {
    this.application = application;
    this.requirements = List.copyOf(requirements);
    this.defaults = defaults;
  }

  @Override
  public void setEnvironment(Environment environment) {
    this.environment = environment;
  }

  @Override
  public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
    verify((ConfigurableEnvironment) environment);
  }

  /**
   * @throws InsecureSettingsException outside the dev profile, listing every problem
   */
  public void verify(ConfigurableEnvironment environment) {
    List<Problem> problems = problems(environment);
    if (problems.isEmpty()) {
      return;
    }
    if (environment.matchesProfiles(DEV_PROFILE)) {
      log.warn(
          "Profile {}: production settings are not enforced; without it the {} would refuse to"
              + " start because of {}",
          DEV_PROFILE,
          application,
          problems.stream()
              .map(problem -> problem.property() + " (" + problem.rule().label() + ")")
              .collect(Collectors.joining(", ")));
      return;
    }
    throw new InsecureSettingsException(application, problems);
  }

  /** Every problem of the environment's settings, whatever the profile. */
  public List<Problem> problems(ConfigurableEnvironment environment) {
    Binder settings = Binder.get(environment);
    return requirements.stream()
        .flatMap(requirement -> requirement.check(settings, defaults).stream())
        .toList();
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }
}
