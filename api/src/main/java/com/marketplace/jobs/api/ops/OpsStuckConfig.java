package com.marketplace.jobs.api.ops;

import com.marketplace.jobs.ledger.StuckJobs;
import com.marketplace.jobs.ledger.StuckJobsProperties;
import com.marketplace.jobs.ledger.TemporalPendingActivities;
import io.temporal.client.WorkflowClient;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The stuck rules the worker's alerts use too, read here for /ops/stuck. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(StuckJobsProperties.class)
class OpsStuckConfig {

  @Bean
  StuckJobs stuckJobs(JdbcClient jdbc, WorkflowClient client, StuckJobsProperties properties) {
    return new StuckJobs(jdbc, new TemporalPendingActivities(client), properties);
  }
}
