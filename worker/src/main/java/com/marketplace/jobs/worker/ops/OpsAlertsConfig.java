package com.marketplace.jobs.worker.ops;

import com.marketplace.jobs.common.JobType;
import com.marketplace.jobs.ledger.StuckJobs;
import com.marketplace.jobs.ledger.StuckJobsGauge;
import com.marketplace.jobs.ledger.StuckJobsProperties;
import com.marketplace.jobs.ledger.TemporalPendingActivities;
import com.marketplace.jobs.ops.AlertSources;
import com.marketplace.jobs.ops.AlertsProperties;
import com.marketplace.jobs.worker.scheduling.MissedScheduledRuns;
import com.marketplace.jobs.worker.scheduling.SchedulesProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.client.WorkflowClient;
import java.time.Clock;
import java.util.Set;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What the operations alerts read besides the ledger: the stuck rules (shared with the api's /ops
 * stuck page) with Temporal's pending activities, the {@code jobs.stuck} gauge, and the schedules'
 * expected runs.
 */
@Configuration(proxyBeanMethods = false)
class OpsAlertsConfig {

  @Bean
  StuckJobs stuckJobs(JdbcClient jdbc, WorkflowClient client, StuckJobsProperties properties) {
    return new StuckJobs(jdbc, new TemporalPendingActivities(client), properties);
  }

  @Bean
  StuckJobsGauge stuckJobsGauge(MeterRegistry meters) {
    return new StuckJobsGauge(meters);
  }

  @Bean
  MissedScheduledRuns missedScheduledRuns(
      WorkflowClient client, SchedulesProperties schedules, JdbcClient jdbc) {
    return new MissedScheduledRuns(
        client, schedules, jdbc, Set.of(JobType.OPS_ALERTS.workflowType()));
  }

  @Bean
  AlertSources alertSources(
      StuckJobs stuckJobs,
      StuckJobsGauge gauge,
      MissedScheduledRuns missedRuns,
      AlertsProperties properties) {
    return new WorkerAlertSources(stuckJobs, gauge, missedRuns, properties, Clock.systemUTC());
  }
}
