package com.marketplace.jobs.api.intake;

import com.marketplace.jobs.relay.RelayProperties;
import com.marketplace.jobs.relay.TemporalTransportProperties;
import com.marketplace.jobs.relay.WorkflowStartRelay;
import com.marketplace.jobs.security.codec.PayloadEncryptionConfiguration;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.RpcRetryOptions;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.spring.boot.TemporalOptionsCustomizer;
import java.time.Duration;
import javax.sql.DataSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The api's Temporal client (the starter's, with the encrypting data converter of {@link
 * PayloadEncryptionConfiguration}: whatever the api or its relay sends is encrypted) and its relay.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({RelayProperties.class, TemporalTransportProperties.class})
@Import(PayloadEncryptionConfiguration.class)
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

  /** gRPC compression as {@code jobs.temporal.grpc-compression} says (none by default). */
  @Bean
  TemporalOptionsCustomizer<WorkflowServiceStubsOptions.Builder> grpcCompression(
      TemporalTransportProperties transport) {
    return options -> options.setGrpcCompression(transport.grpcCompression());
  }

  /**
   * The api's relay, a standby: it starts jobs older than jobs.relay.start-delay only while no
   * worker's relay is connected (no worker up, or every worker's relay disabled).
   */
  @Bean
  WorkflowStartRelay workflowStartRelay(
      JdbcClient jdbc, DataSource dataSource, WorkflowClient client, RelayProperties properties) {
    return new WorkflowStartRelay(jdbc, dataSource, client, properties);
  }
}
