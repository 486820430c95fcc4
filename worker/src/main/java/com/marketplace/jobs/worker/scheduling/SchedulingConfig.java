package com.marketplace.jobs.worker.scheduling;

import com.marketplace.jobs.scheduling.ScheduledRunWorkerInterceptor;
import io.temporal.client.WorkflowClient;
import java.util.List;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The worker's schedules: checked before any bean exists ({@link SchedulesCheck}), made to match
 * the configuration once the application has started ({@link ScheduleReconciler}), and every run
 * they start recorded ({@link ScheduledRunWorkerInterceptor}).
 */
@Configuration(proxyBeanMethods = false)
class SchedulingConfig {

  // Static: a bean factory post-processor must not wait for this configuration's own instance.
  @Bean
  static SchedulesCheck schedulesCheck() {
    return new SchedulesCheck();
  }

  /**
   * Records every scheduled run in the run log and the ledger. A bean, so the starter adds it
   * beside the ledger interceptor.
   */
  @Bean
  ScheduledRunWorkerInterceptor scheduledRunInterceptor() {
    return new ScheduledRunWorkerInterceptor();
  }

  /**
   * The schedule client is built from the starter's workflow client (same stubs, namespace and
   * encrypting data converter), so the memo that marks our schedules is encrypted like every other
   * payload.
   */
  @Bean
  ScheduleReconciler scheduleReconciler(WorkflowClient client, SchedulesProperties properties) {
    return new ScheduleReconciler(
        ScheduleReconciler.scheduleClientLike(client), properties.owner(), properties.pauseAll());
  }

  /**
   * Reconciles at start; a failure (Temporal unreachable, a schedule refused) stops the worker. The
   * time-skipping test server has no schedules, so a worker on it (WorkerWiringTest) skips this.
   */
  @Bean
  @ConditionalOnProperty(
      name = "spring.temporal.test-server.enabled",
      havingValue = "false",
      matchIfMissing = true)
  ApplicationRunner scheduleReconciliation(ScheduleReconciler reconciler, Environment environment) {
    return arguments -> {
      List<ScheduledTask> tasks =
          SchedulesCheck.check(Binder.get(environment), getClass().getClassLoader());
      reconciler.reconcile(tasks);
    };
  }
}
