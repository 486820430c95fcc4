package com.marketplace.jobs.worker;

import com.marketplace.jobs.ledger.JobLedgerActivitiesImpl;
import com.marketplace.jobs.ledger.JobLedgerWorkerInterceptor;
import io.temporal.spring.boot.TemporalOptionsCustomizer;
import io.temporal.worker.WorkerFactoryOptions;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Worker-wide Temporal options. Which workflows run on which queue is in application.yaml. */
@Configuration(proxyBeanMethods = false)
class TemporalWorkerConfig {

  /** Every workflow and activity this worker runs keeps its job's ledger row current. */
  @Bean
  TemporalOptionsCustomizer<WorkerFactoryOptions.Builder> jobLedgerInterceptor(
      JobLedgerActivitiesImpl ledger) {
    return options -> options.setWorkerInterceptors(new JobLedgerWorkerInterceptor(ledger));
  }
}
