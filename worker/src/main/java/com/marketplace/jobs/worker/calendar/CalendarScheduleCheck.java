package com.marketplace.jobs.worker.calendar;

import com.marketplace.jobs.common.JobType;
import com.marketplace.jobs.worker.scheduling.InvalidSchedulesException;
import com.marketplace.jobs.worker.scheduling.SchedulesProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

/**
 * A calendar change must show within 30 minutes (issue 14): every schedule that starts {@code
 * CalendarSyncWorkflow} ({@code calendar-sync}) must fire by {@code interval}, at most {@link
 * #MAX_INTERVAL}. Checked before any bean exists, like {@code SchedulesCheck}, so the worker
 * refuses to start naming the property.
 */
public final class CalendarScheduleCheck implements BeanFactoryPostProcessor, EnvironmentAware {

  public static final Duration MAX_INTERVAL = Duration.ofMinutes(30);

  private Environment environment;

  @Override
  public void setEnvironment(Environment environment) {
    this.environment = environment;
  }

  @Override
  public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
    check(Binder.get(environment));
  }

  /**
   * Throws {@link InvalidSchedulesException} naming each calendar schedule that breaks the rule.
   */
  static void check(Binder binder) {
    Map<String, SchedulesProperties.Task> tasks =
        binder
            .bind(
                SchedulesProperties.PREFIX + ".tasks",
                Bindable.mapOf(String.class, SchedulesProperties.Task.class))
            .orElse(Map.of());
    List<String> problems = new ArrayList<>();
    tasks.forEach(
        (id, task) -> {
          if (task == null || !JobType.CALENDAR_SYNC.workflowType().equals(task.workflowType())) {
            return;
          }
          String prefix = SchedulesProperties.PREFIX + ".tasks." + id;
          if (task.interval() == null) {
            problems.add(
                prefix
                    + ": a calendar sync must fire by interval (at most "
                    + MAX_INTERVAL.toMinutes()
                    + "m), so a calendar change shows within 30 minutes");
          } else if (task.interval().compareTo(MAX_INTERVAL) > 0) {
            problems.add(
                prefix
                    + ".interval: must be at most "
                    + MAX_INTERVAL.toMinutes()
                    + "m (a calendar change must show within 30 minutes), not "
                    + task.interval());
          }
        });
    if (!problems.isEmpty()) {
      throw new InvalidSchedulesException(problems);
    }
  }
}
