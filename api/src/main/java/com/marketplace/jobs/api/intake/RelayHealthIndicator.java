package com.marketplace.jobs.api.intake;

import com.marketplace.jobs.relay.WorkflowStartRelay;
import io.temporal.serviceclient.WorkflowServiceStubs;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Actuator health "relay": whether the api can reach Temporal to start workflows, and how many
 * accepted jobs still wait for their start. Left out of the readiness group on purpose: while
 * Temporal is down the api still accepts jobs, so it must stay in the load balancer.
 */
@Component("relay")
class RelayHealthIndicator implements HealthIndicator {

  private final WorkflowServiceStubs stubs;
  private final WorkflowStartRelay relay;

  RelayHealthIndicator(WorkflowServiceStubs stubs, WorkflowStartRelay relay) {
    this.stubs = stubs;
    this.relay = relay;
  }

  @Override
  public Health health() {
    Health.Builder health;
    try {
      var serving = stubs.healthCheck().getStatus().name();
      health =
          "SERVING".equals(serving) ? Health.up() : Health.down().withDetail("temporal", serving);
    } catch (RuntimeException e) {
      health = Health.down().withDetail("temporal", "unreachable");
    }
    return health
        .withDetail("temporalTarget", stubs.getOptions().getTarget())
        .withDetail("jobsAwaitingStart", relay.backlog())
        .build();
  }
}
