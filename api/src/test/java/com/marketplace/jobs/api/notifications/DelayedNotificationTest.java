package com.marketplace.jobs.api.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.marketplace.jobs.api.intake.DueTimes;
import com.marketplace.jobs.api.intake.IntakeProperties;
import com.marketplace.jobs.api.intake.JobCounters;
import com.marketplace.jobs.api.intake.JobIntake;
import com.marketplace.jobs.api.intake.RelayWakeUp;
import com.marketplace.jobs.api.testsupport.MigratedPostgres;
import com.marketplace.jobs.api.testsupport.TrustedCaller;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Map;
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
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/**
 * A trigger's delay ({@code notBefore} or {@code delaySeconds}) through HTTP, with the real intake
 * on a real PostgreSQL: the due time in the 202 and the ledger, the refusals naming the field, and
 * the delay as part of the job's content. Every HTTP trigger shares this checking ({@code
 * DueTimes}); the notification stands for all of them.
 */
@WebMvcTest(NotificationController.class)
@Import({
  TrustedCaller.class,
  MigratedPostgres.class,
  JobIntake.class,
  JobCounters.class,
  SimpleMeterRegistry.class,
  DueTimes.class,
  RelayWakeUp.class,
  DelayedNotificationTest.Properties.class
})
class DelayedNotificationTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TestConfiguration
  @EnableConfigurationProperties(IntakeProperties.class)
  static class Properties {}

  @Autowired private MockMvc mvc;
  @Autowired private JdbcClient jdbc;
  @MockitoBean private CustomerLookup customers;

  @BeforeEach
  void setUp() {
    jdbc.sql("DELETE FROM jobs WHERE type = 'notification'").update();
    when(customers.tenantOf(42L)).thenReturn(Optional.of(7L));
  }

  private ResultActions send(String delay) throws Exception {
    return send(delay, UUID.randomUUID().toString());
  }

  private ResultActions send(String delay, String campaign) throws Exception {
    String body =
        """
        {"customerId": 42, "template": "welcome", "params": {"campaign": "%s"}%s}
        """
            .formatted(campaign, delay.isEmpty() ? "" : ", " + delay);
    return mvc.perform(
        post("/api/notifications").contentType(MediaType.APPLICATION_JSON).content(body));
  }

  private static JsonNode json(ResultActions result) throws Exception {
    return JSON.readTree(result.andReturn().getResponse().getContentAsString());
  }

  private OffsetDateTime notBefore(String jobId) {
    return jdbc.sql("SELECT not_before FROM jobs WHERE id = :id")
        .param("id", UUID.fromString(jobId))
        .query(OffsetDateTime.class)
        .optional()
        .orElse(null);
  }

  @Test
  void delaySecondsIsAcceptedAsAPendingJobDueThatLongFromNow() throws Exception {
    Instant before = Instant.now();
    JsonNode accepted = json(send("\"delaySeconds\": 20").andExpect(status().isAccepted()));
    Instant after = Instant.now();

    assertThat(accepted.path("status").asText()).isEqualTo("PENDING");
    Instant dueAt = Instant.parse(accepted.path("dueAt").asText());
    assertThat(dueAt).isBetween(before.plusSeconds(20), after.plusSeconds(20));
    assertThat(notBefore(accepted.path("jobId").asText()).toInstant()).isEqualTo(dueAt);
  }

  @Test
  void notBeforeIsAcceptedAsTheDueTime() throws Exception {
    Instant inAWeek = Instant.now().plus(Duration.ofDays(7)).truncatedTo(ChronoUnit.SECONDS);

    JsonNode accepted =
        json(send("\"notBefore\": \"" + inAWeek + "\"").andExpect(status().isAccepted()));

    assertThat(Instant.parse(accepted.path("dueAt").asText())).isEqualTo(inAWeek);
    assertThat(notBefore(accepted.path("jobId").asText()).toInstant()).isEqualTo(inAWeek);
  }

  @Test
  void aJobWithoutADelayHasNoDueTime() throws Exception {
    JsonNode accepted = json(send("").andExpect(status().isAccepted()));

    assertThat(accepted.has("dueAt")).isFalse();
    assertThat(notBefore(accepted.path("jobId").asText())).isNull();
  }

  @Test
  void badDelaysAre400NamingTheFieldAndWriteNothing() throws Exception {
    Map<String, String> refused =
        Map.of(
            "\"notBefore\": \"" + Instant.now().plusSeconds(60) + "\", \"delaySeconds\": 60",
            "notBefore",
            "\"delaySeconds\": -5",
            "delaySeconds",
            "\"delaySeconds\": \"soon\"",
            "delaySeconds",
            "\"delaySeconds\": 2592001",
            "delaySeconds",
            "\"notBefore\": \"tomorrow\"",
            "notBefore",
            "\"notBefore\": \"" + Instant.now().plus(Duration.ofDays(31)) + "\"",
            "notBefore",
            "\"notBefore\": \"" + Instant.now().minus(Duration.ofHours(1)) + "\"",
            "notBefore");
    for (Map.Entry<String, String> delay : refused.entrySet()) {
      send(delay.getKey())
          .andExpect(status().isBadRequest())
          .andExpect(header().string("Content-Type", MediaType.APPLICATION_PROBLEM_JSON_VALUE))
          .andExpect(jsonPath("$.errors[0].field").value(delay.getValue()));
    }

    assertThat(
            jdbc.sql("SELECT count(*) FROM jobs WHERE type = 'notification'")
                .query(Long.class)
                .single())
        .isZero();
  }

  @Test
  void theDelayIsPartOfTheContentTheSameDelayRepeatedIsTheSameJobAnotherIsAnotherJob()
      throws Exception {
    String campaign = UUID.randomUUID().toString();
    String first = json(send("\"delaySeconds\": 60", campaign)).path("jobId").asText();

    ResultActions repeated = send("\"delaySeconds\": 60", campaign);
    repeated.andExpect(header().string("Idempotent-Replayed", "true"));
    assertThat(json(repeated).path("jobId").asText()).isEqualTo(first);
    assertThat(json(repeated).path("dueAt").asText()).isNotEmpty();

    String otherDelay = json(send("\"delaySeconds\": 120", campaign)).path("jobId").asText();
    String noDelay = json(send("", campaign)).path("jobId").asText();
    assertThat(otherDelay).isNotEqualTo(first);
    assertThat(noDelay).isNotEqualTo(first).isNotEqualTo(otherDelay);
  }
}
