package com.marketplace.jobs.api.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.marketplace.jobs.api.security.ApiSecurityConfig;
import com.marketplace.jobs.api.security.SecurityLog;
import com.marketplace.jobs.api.testsupport.MigratedPostgres;
import com.marketplace.jobs.ledger.PendingActivities;
import com.marketplace.jobs.ledger.StuckJobs;
import com.marketplace.jobs.ledger.StuckJobsProperties;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;

/**
 * /ops/stuck behind the login, over the ledger in real PostgreSQL and a Temporal that shows one
 * job's activity retrying: each stuck job is listed once with why, linking to its page; a failing
 * type links to its failed jobs; healthy jobs are not listed.
 */
@WebMvcTest(OpsStuckController.class)
@Import({
  MigratedPostgres.class,
  SecurityLog.class,
  ApiSecurityConfig.class,
  OpsSecurityConfig.class,
  OpsStuckPageTest.Rules.class
})
class OpsStuckPageTest {

  static final UUID RETRYING = UUID.fromString("6a0e9f5e-0000-4000-8000-000000000001");

  /** The shared stuck rules, with Temporal showing {@link #RETRYING}'s activity at attempt 3. */
  @TestConfiguration
  static class Rules {
    @Bean
    StuckJobs stuckJobs(JdbcClient jdbc) {
      PendingActivities temporal =
          (workflowId, minAttempt) ->
              workflowId.equals("company_notice-" + RETRYING)
                  ? Optional.of(
                      new PendingActivities.Retrying(
                          "sendCompanyNotice", 3, "Mailgun answered HTTP 503"))
                  : Optional.empty();
      return new StuckJobs(
          jdbc,
          temporal,
          new StuckJobsProperties(
              Duration.ofMinutes(10),
              Duration.ofMinutes(15),
              2,
              50,
              2,
              Duration.ofMinutes(15),
              200));
    }
  }

  @Autowired private MockMvc mvc;
  @Autowired private JdbcClient jdbc;

  private UUID overdue;
  private UUID quiet;

  @BeforeEach
  void ledger() {
    jdbc.sql("DELETE FROM jobs").update();
    overdue =
        insert(UUID.randomUUID(), "notification", "PENDING", "20 minutes", "20 minutes", null);
    quiet = insert(UUID.randomUUID(), "company_ban", "PROCESSING", "1 hour", "30 minutes", null);
    insert(
        RETRYING,
        "company_notice",
        "PROCESSING",
        "2 minutes",
        "10 seconds",
        "PROVIDER_UNAVAILABLE");
    insert(UUID.randomUUID(), "notification", "PROCESSING", "1 minute", "5 seconds", null);
    insert(
        UUID.randomUUID(),
        "payment_event",
        "FAILED",
        "5 minutes",
        "4 minutes",
        "PROVIDER_REJECTED");
    insert(
        UUID.randomUUID(),
        "payment_event",
        "FAILED",
        "5 minutes",
        "3 minutes",
        "PROVIDER_REJECTED");
  }

  private UUID insert(
      UUID id, String type, String status, String createdAgo, String updatedAgo, String error) {
    jdbc.sql(
            """
            INSERT INTO jobs (id, type, status, priority, workflow_id, workflow_type, task_queue,
                              payload, content_hash, created_at, updated_at, started_at,
                              finished_at, last_error_type, last_error_message)
            VALUES (:id, :type, :status, 2, :workflowId, 'Workflow', 'background-jobs',
                    '{}'::jsonb, :hash, now() - CAST(:created AS interval),
                    now() - CAST(:updated AS interval),
                    CASE WHEN :status <> 'PENDING' THEN now() - CAST(:updated AS interval) END,
                    CASE WHEN :status = 'FAILED' THEN now() - CAST(:updated AS interval) END,
                    CAST(:error AS text), CASE WHEN CAST(:error AS text) IS NOT NULL THEN 'answered HTTP 503' END)
            """)
        .param("id", id)
        .param("type", type)
        .param("status", status)
        .param("workflowId", type + "-" + id)
        .param("hash", id.toString())
        .param("created", createdAgo)
        .param("updated", updatedAgo)
        .param("error", error)
        .update();
    return id;
  }

  private MockHttpSession signIn() throws Exception {
    return (MockHttpSession)
        mvc.perform(
                formLogin("/ops/login").user("viewer-test").password("ops-test-viewer-password"))
            .andExpect(redirectedUrl("/ops"))
            .andReturn()
            .getRequest()
            .getSession(false);
  }

  @Test
  void withoutASessionTheStuckPageSendsTheBrowserToTheLoginForm() throws Exception {
    mvc.perform(get("/ops/stuck")).andExpect(redirectedUrl("/ops/login"));
  }

  @Test
  void eachStuckJobIsListedOnceWithWhyAndALinkToItsPage() throws Exception {
    String page =
        mvc.perform(get("/ops/stuck").session(signIn()))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();

    assertThat(page.split("data-reason=", -1)).as("four rows").hasSize(5);
    assertThat(page)
        .contains("id=\"nav-stuck\"")
        .contains("href=\"/ops/jobs/" + overdue + "\"")
        .contains("href=\"/ops/jobs/" + quiet + "\"")
        .contains("href=\"/ops/jobs/" + RETRYING + "\"")
        .contains(
            "<b>pending_overdue</b> <span>pending, not started 20 min after its due time</span>")
        .contains("<b>no_progress</b> <span>processing, no progress for 30 min</span>")
        .contains(
            "<b>activity_retrying</b> <span>activity sendCompanyNotice retrying, attempt 3</span>")
        .contains("<b>type_failing</b> <span>2 jobs failed in the last 15 min</span>")
        .contains("href=\"/ops/failed?type=payment_event&amp;period=24h\"")
        .doesNotContain("Nothing is stuck.");
  }

  @Test
  void withNothingStuckThePageSaysSo() throws Exception {
    jdbc.sql("DELETE FROM jobs").update();

    mvc.perform(get("/ops/stuck").session(signIn()))
        .andExpect(status().isOk())
        .andExpect(
            org.springframework.test.web.servlet.result.MockMvcResultMatchers.content()
                .string(org.hamcrest.Matchers.containsString("Nothing is stuck.")));
  }
}
