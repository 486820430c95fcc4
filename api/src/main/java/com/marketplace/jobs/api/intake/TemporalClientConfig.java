package com.marketplace.jobs.api.intake;

import io.temporal.serviceclient.RpcRetryOptions;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.spring.boot.TemporalOptionsCustomizer;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class TemporalClientConfig {

  /**
   * A start that cannot reach the server gives up after a few seconds instead of the SDK's default
   * minute: the job is safe in the ledger and the relay retries it, so a relay thread stuck on a
   * dead server only delays the jobs behind it.
   */
  @Bean
  TemporalOptionsCustomizer<WorkflowServiceStubsOptions.Builder> quickFailingStarts() {
    return options ->
        options.setRpcRetryOptions(
            RpcRetryOptions.newBuilder()
                .setExpiration(Duration.ofSeconds(5))
                .validateBuildWithDefaults());
  }
}
