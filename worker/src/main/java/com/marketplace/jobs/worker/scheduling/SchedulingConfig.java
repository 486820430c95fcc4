package com.marketplace.jobs.worker.scheduling;

import com.marketplace.jobs.scheduling.ScheduledRunWorkerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowClient;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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

  private static final Logger log = LoggerFactory.getLogger(SchedulingConfig.class);

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
   * Reconciles at start; a failure (a schedule refused, Temporal still unreachable after {@link
   * #RECONCILE_PATIENCE}) stops the worker. A server that is slow to answer (a busy host: the
   * client's first call, its system info, has a deadline of a few seconds) or restarting is asked
   * again: reconciling is create-or-update, so a repeat changes nothing twice. The time-skipping
   * test server has no schedules, so a worker on it (WorkerWiringTest) skips this.
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
      long deadline = System.nanoTime() + RECONCILE_PATIENCE.toNanos();
      for (long pauseMillis = 500; ; pauseMillis = Math.min(pauseMillis * 2, 8_000)) {
        try {
          reconciler.reconcile(tasks);
          return;
        } catch (RuntimeException e) {
          if (!transientTemporalFailure(e) || System.nanoTime() > deadline) {
            throw e;
          }
          log.warn(
              "schedules: Temporal did not answer in time ({}); trying again in {} ms",
              e.getMessage(),
              pauseMillis);
          Thread.sleep(pauseMillis);
        }
      }
    };
  }

  /** How long the start waits for Temporal to answer the reconciliation. */
  static final Duration RECONCILE_PATIENCE = Duration.ofMinutes(2);

  static boolean transientTemporalFailure(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof StatusRuntimeException grpc) {
        Status.Code code = grpc.getStatus().getCode();
        return code == Status.Code.UNAVAILABLE
            || code == Status.Code.DEADLINE_EXCEEDED
            || code == Status.Code.RESOURCE_EXHAUSTED;
      }
    }
    return false;
  }
}
