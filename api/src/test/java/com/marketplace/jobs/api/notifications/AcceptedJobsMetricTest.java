package com.marketplace.jobs.api.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.marketplace.jobs.api.intake.DueTimes;
import com.marketplace.jobs.api.intake.IntakeProperties;
import com.marketplace.jobs.api.intake.JobCounters;
import com.marketplace.jobs.api.intake.JobIntake;
import com.marketplace.jobs.api.intake.RelayWakeUp;
import com.marketplace.jobs.api.testsupport.MigratedPostgres;
import com.marketplace.jobs.api.testsupport.TrustedCaller;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * {@code jobs.accepted} as the api's /actuator/prometheus shows it ({@code jobs_accepted_total}),
 * with the real intake on a real PostgreSQL: a new job counts once under its type and priority
 * tier; a replay (same Idempotency-Key, or the same content within the duplicate window) returns
 * the existing job and counts nothing.
 */
@WebMvcTest(NotificationController.class)
@Import({
  TrustedCaller.class,
  MigratedPostgres.class,
  JobIntake.class,
  DueTimes.class,
  RelayWakeUp.class,
  JobCounters.class,
  SimpleMeterRegistry.class,
  AcceptedJobsMetricTest.Properties.class
})
class AcceptedJobsMetricTest {

  @TestConfiguration
  @EnableConfigurationProperties(IntakeProperties.class)
  static class Properties {}

  @Autowired private MockMvc mvc;
  @Autowired private MeterRegistry meters;
  @MockitoBean private CustomerLookup customers;

  @BeforeEach
  void setUp() {
    when(customers.tenantOf(42L)).thenReturn(Optional.of(7L));
  }

  private double accepted(String type, String priority) {
    return meters
        .get("jobs.accepted")
        .tag("type", type)
        .tag("priority", priority)
        .counter()
        .count();
  }

  private static MockHttpServletRequestBuilder notification(String campaign) {
    return post("/api/notifications")
        .contentType(MediaType.APPLICATION_JSON)
        .content(
            """
            {"customerId": 42, "template": "welcome", "params": {"campaign": "%s"}}
            """
                .formatted(campaign));
  }

  @Test
  void aNewJobCountsOnceAndItsIdempotentReplaysDoNot() throws Exception {
    double before = accepted("notification", "customer_facing");
    String campaign = UUID.randomUUID().toString();
    String key = "metrics-" + UUID.randomUUID();

    mvc.perform(notification(campaign).header("Idempotency-Key", key))
        .andExpect(status().isAccepted());
    mvc.perform(notification(campaign).header("Idempotency-Key", key))
        .andExpect(status().isAccepted());
    mvc.perform(notification(UUID.randomUUID().toString())).andExpect(status().isAccepted());

    assertThat(accepted("notification", "customer_facing")).isEqualTo(before + 2);
  }

  @Test
  void theSameContentWithinTheDuplicateWindowIsTheSameJobAndCountsOnce() throws Exception {
    double before = accepted("notification", "customer_facing");
    String campaign = UUID.randomUUID().toString();

    mvc.perform(notification(campaign)).andExpect(status().isAccepted());
    mvc.perform(notification(campaign)).andExpect(status().isAccepted());

    assertThat(accepted("notification", "customer_facing")).isEqualTo(before + 1);
  }

  @Test
  void everyJobTypeIsCountedFromZeroUnderItsPriorityTier() {
    assertThat(accepted("payment_event", "payment")).isZero();
    assertThat(accepted("company_ban", "internal")).isZero();
    assertThat(meters.get("jobs.retried").tag("type", "notification").counters()).hasSize(1);
  }
}
