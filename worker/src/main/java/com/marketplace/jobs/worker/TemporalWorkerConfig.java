package com.marketplace.jobs.worker;

import com.marketplace.jobs.ledger.JobLedgerActivitiesImpl;
import com.marketplace.jobs.ledger.JobLedgerWorkerInterceptor;
import com.marketplace.jobs.ledger.JobStatusCounts;
import com.marketplace.jobs.ledger.LedgerReconcileProperties;
import com.marketplace.jobs.ledger.LedgerReconciler;
import com.marketplace.jobs.payments.PaymentEventWorkflowImpl;
import com.marketplace.jobs.payments.PaymentProperties;
import com.marketplace.jobs.relay.RelayProperties;
import com.marketplace.jobs.relay.TemporalTransportProperties;
import com.marketplace.jobs.relay.WorkflowStartRelay;
import com.marketplace.jobs.security.codec.PayloadEncryptionConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.common.RetryOptions;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.spring.boot.TemporalOptionsCustomizer;
import io.temporal.spring.boot.WorkflowImplementationOptionsCustomizer;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Worker-wide Temporal options. Which workflows run on which queue is in application.yaml. Every
 * payload the worker writes (inputs, results, signals, queries, heartbeats, failures) goes through
 * the encrypting data converter of {@link PayloadEncryptionConfiguration}, which the starter gives
 * the client and so the worker factory and the relay.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({
  RelayProperties.class,
  TemporalTransportProperties.class,
  LedgerReconcileProperties.class
})
@Import(PayloadEncryptionConfiguration.class)
class TemporalWorkerConfig {

  /**
   * Starts fresh jobs from the ledger with eager start: the same client as this process's worker
   * factory, so Temporal returns the first workflow task in the start response and this worker runs
   * it, saving the server a task dispatch per job.
   */
  @Bean
  WorkflowStartRelay workflowStartRelay(
      JdbcClient jdbc, DataSource dataSource, WorkflowClient client, RelayProperties properties) {
    return new WorkflowStartRelay(jdbc, dataSource, client, properties);
  }

  /**
   * Every {@code jobs.ledger.reconcile-interval}, sets unfinished ledger rows whose workflow closed
   * in Temporal without its own last ledger write (terminated, timed out, a lost write) as Temporal
   * closed it; counted in {@code jobs.ledger.reconciled}. In every worker; they share the work.
   */
  @Bean
  LedgerReconciler ledgerReconciler(
      JdbcClient jdbc,
      WorkflowClient client,
      LedgerReconcileProperties properties,
      MeterRegistry meters) {
    return new LedgerReconciler(jdbc, client, properties, meters);
  }

  /**
   * Folds the ledger's count changes (V25) into the all-time counts every few seconds, so the
   * counts read by /ops and {@code GET /api/jobs/stats} stay a few dozen rows.
   */
  @Bean
  JobStatusCounts jobStatusCounts(JdbcClient jdbc) {
    return new JobStatusCounts(jdbc);
  }

  /** gRPC compression as {@code jobs.temporal.grpc-compression} says (none by default). */
  @Bean
  TemporalOptionsCustomizer<WorkflowServiceStubsOptions.Builder> grpcCompression(
      TemporalTransportProperties transport) {
    return options -> options.setGrpcCompression(transport.grpcCompression());
  }

  /**
   * Heartbeats reach the server at least every 5 s. The SDK would otherwise send them only every
   * 80% of an activity's heartbeat timeout (48 s for the sagas' bulk steps, whose 60 s timeout must
   * cover a slow batch), and a running step learns of its job's cancellation only from a
   * heartbeat's answer: so a cancelled ban starts its rollback within seconds, not a minute.
   */
  @Bean
  TemporalOptionsCustomizer<WorkerOptions.Builder> heartbeatThrottle() {
    return options -> options.setMaxHeartbeatThrottleInterval(MAX_HEARTBEAT_THROTTLE);
  }

  static final Duration MAX_HEARTBEAT_THROTTLE = Duration.ofSeconds(5);

  /**
   * Every workflow and activity this worker runs keeps its job's ledger row current. A bean, so the
   * starter adds it beside any other interceptors (tracing) instead of replacing them.
   */
  @Bean
  JobLedgerWorkerInterceptor jobLedgerInterceptor(JobLedgerActivitiesImpl ledger) {
    return new JobLedgerWorkerInterceptor(ledger);
  }

  /**
   * Shorter capture retry intervals when {@code jobs.payments.capture-retry.initial-interval} is
   * set (tests, demos): per-activity-type options of the payment workflow, which override its
   * stub's. Intervals can only shrink, so the 15-minute budget holds whatever is configured.
   */
  @Bean
  WorkflowImplementationOptionsCustomizer paymentCaptureRetry(PaymentProperties payments) {
    return (options, worker, workflowClass, method) -> {
      if (workflowClass != PaymentEventWorkflowImpl.class || payments.captureRetry() == null) {
        return options;
      }
      Duration configured = payments.captureRetry().initialInterval();
      Duration standard = PaymentEventWorkflowImpl.CAPTURE_RETRY.getInitialInterval();
      Duration initial = configured.compareTo(standard) < 0 ? configured : standard;
      RetryOptions retry =
          RetryOptions.newBuilder(PaymentEventWorkflowImpl.CAPTURE_RETRY)
              .setInitialInterval(initial)
              .setMaximumInterval(initial.multipliedBy(4))
              .build();
      return options.setActivityOptions(
          Map.of(
              PaymentEventWorkflowImpl.CAPTURE_ACTIVITY_TYPE,
              ActivityOptions.newBuilder(PaymentEventWorkflowImpl.CAPTURE_OPTIONS)
                  .setRetryOptions(retry)
                  .build()));
    };
  }
}
