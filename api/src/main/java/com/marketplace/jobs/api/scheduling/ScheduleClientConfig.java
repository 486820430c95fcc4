package com.marketplace.jobs.api.scheduling;

import io.temporal.client.WorkflowClient;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The api's schedule client. */
@Configuration(proxyBeanMethods = false)
class ScheduleClientConfig {

  /** The bean's name; the Temporal starter has a primary schedule client of its own. */
  static final String SCHEDULE_CLIENT = "jobsScheduleClient";

  /**
   * Built from the starter's workflow client: the same service stubs (and so the quick-failing RPC
   * retries of the intake's configuration), namespace and encrypting data converter, so it reads
   * the memo the worker wrote. Injected by name: the starter's own schedule client is primary.
   */
  @Bean(SCHEDULE_CLIENT)
  ScheduleClient jobsScheduleClient(WorkflowClient client) {
    return ScheduleClient.newInstance(
        client.getWorkflowServiceStubs(),
        ScheduleClientOptions.newBuilder()
            .setNamespace(client.getOptions().getNamespace())
            .setDataConverter(client.getOptions().getDataConverter())
            .setIdentity(client.getOptions().getIdentity())
            .build());
  }
}
