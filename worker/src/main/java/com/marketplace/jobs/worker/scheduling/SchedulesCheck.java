package com.marketplace.jobs.worker.scheduling;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

/**
 * Checks {@code jobs.schedules} before any bean exists, so a bad cron, zone, overlap, duration or
 * workflow type stops the worker before it connects to PostgreSQL or Temporal, naming the property.
 * A bean factory post-processor for that reason (as the production settings check is).
 */
public final class SchedulesCheck implements BeanFactoryPostProcessor, EnvironmentAware {

  private Environment environment;

  @Override
  public void setEnvironment(Environment environment) {
    this.environment = environment;
  }

  @Override
  public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
    check(Binder.get(environment), beanFactory.getBeanClassLoader());
  }

  /** The checked tasks, or {@link InvalidSchedulesException} naming each bad property. */
  static List<ScheduledTask> check(Binder binder, ClassLoader classLoader) {
    SchedulesProperties properties;
    try {
      properties =
          binder
              .bind(SchedulesProperties.PREFIX, Bindable.of(SchedulesProperties.class))
              .orElseGet(
                  () -> new SchedulesProperties(SchedulesProperties.DEFAULT_OWNER, false, null));
    } catch (BindException e) {
      String property =
          e.getProperty() == null
              ? SchedulesProperties.PREFIX
              : e.getProperty().getName().toString();
      String value = e.getProperty() == null ? "" : " '" + e.getProperty().getValue() + "'";
      throw new InvalidSchedulesException(
          List.of(property + ":" + value + " cannot be read (" + rootMessage(e) + ")"));
    }
    Map<String, Set<String>> registered = RegisteredWorkflows.read(binder, classLoader);
    return ScheduleTasks.validate(properties, registered);
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage();
  }
}
