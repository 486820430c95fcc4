package com.marketplace.jobs.worker;

import io.temporal.serviceclient.WorkflowServiceStubs;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/** Actuator health "temporal": can this process reach the Temporal frontend. */
@Component("temporal")
class TemporalHealthIndicator implements HealthIndicator {

  private final WorkflowServiceStubs stubs;

  TemporalHealthIndicator(WorkflowServiceStubs stubs) {
    this.stubs = stubs;
  }

  @Override
  public Health health() {
    String target = stubs.getOptions().getTarget();
    try {
      var response = stubs.healthCheck();
      return switch (response.getStatus()) {
        case SERVING -> Health.up().withDetail("target", target).build();
        default ->
            Health.down()
                .withDetail("target", target)
                .withDetail("status", response.getStatus())
                .build();
      };
    } catch (RuntimeException e) {
      return Health.down()
          .withDetail("target", target)
          .withDetail("error", e.getClass().getSimpleName())
          .build();
    }
  }
}
