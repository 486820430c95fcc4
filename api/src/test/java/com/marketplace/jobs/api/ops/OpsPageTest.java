package com.marketplace.jobs.api.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.marketplace.jobs.api.jobs.JobQueries;
import com.marketplace.jobs.api.jobs.JobRetries;
import com.marketplace.jobs.api.security.ApiSecurityConfig;
import com.marketplace.jobs.api.security.SecurityLog;
import com.marketplace.jobs.api.testsupport.MigratedPostgres;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

/**
 * The /ops page behind its login, with the real security chains (the page's and the api's) and the
 * ledger in real PostgreSQL: who gets in, what a session may do, and counts that match the ledger.
 */
@WebMvcTest(OpsController.class)
@Import({
  MigratedPostgres.class,
  SecurityLog.class,
  ApiSecurityConfig.class,
  OpsSecurityConfig.class,
  JobQueries.class
})
class OpsPageTest {

  private static final String VIEWER_PASSWORD = "ops-test-viewer-password";
  private static final String OPERATOR_PASSWORD = "ops-test-operator-password";

  @MockitoBean private JobRetries retries;
  @Autowired private MockMvc mvc;
  @Autowired private JdbcClient jdbc;

  @BeforeEach
  void ledger() {
    jdbc.sql("DELETE FROM jobs").update();
    insertJobs("notification", "COMPLETED", 3, "1 hour");
    insertJobs("notification", "FAILED", 2, "2 hours");
    insertJobs("company_ban", "PROCESSING", 1, "5 minutes");
    insertJobs("search_reindex", "COMPLETED", 4, "3 days");
  }

  private void insertJobs(String type, String status, int count, String age) {
    for (int i = 0; i < count; i++) {
      UUID id = UUID.randomUUID();
      jdbc.sql(
              """
              INSERT INTO jobs (id, type, status, priority, workflow_id, workflow_type, task_queue,
                                payload, content_hash, created_at, resolution)
              VALUES (:id, :type, :status, 2, :workflowId, 'Workflow', 'background-jobs',
                      '{}'::jsonb, :hash, now() - CAST(:age AS interval),
                      CASE WHEN :status = 'FAILED' THEN 'UNRESOLVED' END)
              """)
          .param("id", id)
          .param("type", type)
          .param("status", status)
          .param("workflowId", type + "-" + id)
          .param("hash", id.toString())
          .param("age", age)
          .update();
    }
  }

  private MockHttpSession signIn(String user, String password) throws Exception {
    MvcResult result =
        mvc.perform(formLogin("/ops/login").user(user).password(password))
            .andExpect(redirectedUrl("/ops"))
            .andReturn();
    return (MockHttpSession) result.getRequest().getSession(false);
  }

  @Test
  void withoutASessionThePageSendsTheBrowserToTheLoginForm() throws Exception {
    mvc.perform(get("/ops")).andExpect(status().isFound()).andExpect(redirectedUrl("/ops/login"));
    mvc.perform(get("/ops/counts")).andExpect(status().isFound());
    mvc.perform(get("/ops/login"))
        .andExpect(status().isOk())
        .andExpect(content().string(org.hamcrest.Matchers.containsString("name=\"_csrf\"")));
  }

  @Test
  void aWrongPasswordOrAnUnknownUserIsRefused() throws Exception {
    mvc.perform(formLogin("/ops/login").user("viewer-test").password("not-the-password"))
        .andExpect(redirectedUrl("/ops/login?error"));
    mvc.perform(formLogin("/ops/login").user("mallory").password(VIEWER_PASSWORD))
        .andExpect(redirectedUrl("/ops/login?error"));
  }

  @Test
  void aLoginWithoutTheFormsCsrfTokenIsRefused() throws Exception {
    mvc.perform(
            post("/ops/login").param("username", "viewer-test").param("password", VIEWER_PASSWORD))
        .andExpect(status().isForbidden());
  }

  @Test
  void theCountsMatchTheLedgerForEachPeriod() throws Exception {
    MockHttpSession session = signIn("viewer-test", VIEWER_PASSWORD);

    String day =
        mvc.perform(get("/ops").param("period", "24h").session(session))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();
    String all =
        mvc.perform(get("/ops/counts").param("period", "all").session(session))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();

    assertThat(day)
        .contains("id=\"count-total\">6<")
        .contains("id=\"count-COMPLETED\">3<")
        .contains("id=\"count-FAILED\">2<")
        .contains("id=\"count-PROCESSING\">1<")
        .contains("viewer-test (viewer)")
        .doesNotContain("data-type=\"search_reindex\"");
    assertThat(all).contains("id=\"count-total\">10<").contains("data-type=\"search_reindex\"");
  }

  @Test
  void aViewerMayNotActAndNothingIsPostedWithoutTheCsrfToken() throws Exception {
    MockHttpSession viewer = signIn("viewer-test", VIEWER_PASSWORD);
    MockHttpSession operator = signIn("operator-test", OPERATOR_PASSWORD);

    mvc.perform(post("/ops/failed/retry").session(viewer).with(csrf()))
        .andExpect(status().isForbidden());
    mvc.perform(post("/ops/failed/retry").session(operator)).andExpect(status().isForbidden());
    mvc.perform(get("/ops").session(operator))
        .andExpect(status().isOk())
        .andExpect(
            content().string(org.hamcrest.Matchers.containsString("operator-test (operator)")));
  }

  @Test
  void anOpsSessionDoesNotOpenTheApi() throws Exception {
    MockHttpSession operator = signIn("operator-test", OPERATOR_PASSWORD);

    mvc.perform(get("/api/jobs/stats").session(operator)).andExpect(status().isUnauthorized());
  }

  @Test
  void signingOutEndsTheSession() throws Exception {
    MockHttpSession session = signIn("viewer-test", VIEWER_PASSWORD);

    mvc.perform(post("/ops/logout").session(session).with(csrf()))
        .andExpect(redirectedUrl("/ops/login?out"));
    mvc.perform(get("/ops").session(session)).andExpect(status().isFound());
  }

  @Test
  void theFailedListShowsEachFailureWithItsWorkflowLinkAndRetryOnlyForOperators() throws Exception {
    MockHttpSession viewer = signIn("viewer-test", VIEWER_PASSWORD);
    MockHttpSession operator = signIn("operator-test", OPERATOR_PASSWORD);

    String asViewer =
        mvc.perform(
                get("/ops/failed")
                    .param("type", "notification")
                    .param("period", "24h")
                    .session(viewer))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();
    String asOperator =
        mvc.perform(get("/ops/failed").param("period", "24h").session(operator))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();

    assertThat(asViewer.split("data-job-id=", -1)).hasSize(3);
    assertThat(asViewer)
        .contains("http://127.0.0.1:8233/namespaces/default/workflows/notification-")
        .doesNotContain("class=\"retry\"")
        .doesNotContain("id=\"retry-all\"");
    assertThat(asOperator).contains("class=\"retry\"").contains("Retry all 2 unresolved");
  }

  @Test
  void anOperatorsRetryIsDoneAsThemAndTheOutcomeShown() throws Exception {
    UUID failed =
        jdbc.sql("SELECT id FROM jobs WHERE status = 'FAILED' LIMIT 1").query(UUID.class).single();
    org.mockito.Mockito.when(retries.retry(failed, "ops:operator-test"))
        .thenReturn(new JobRetries.Retried(failed, "notification-" + failed, "run-2"));
    MockHttpSession operator = signIn("operator-test", OPERATOR_PASSWORD);

    MvcResult result =
        mvc.perform(post("/ops/jobs/" + failed + "/retry").session(operator).with(csrf()))
            .andExpect(redirectedUrl("/ops/jobs/" + failed))
            .andReturn();

    assertThat(result.getFlashMap().get("notice")).isEqualTo("Retried: run run-2 started.");
  }

  @Test
  void aResolutionNeedsAComment() throws Exception {
    UUID failed =
        jdbc.sql("SELECT id FROM jobs WHERE status = 'FAILED' LIMIT 1").query(UUID.class).single();
    MockHttpSession operator = signIn("operator-test", OPERATOR_PASSWORD);

    MvcResult result =
        mvc.perform(
                post("/ops/jobs/" + failed + "/resolve")
                    .param("comment", "  ")
                    .session(operator)
                    .with(csrf()))
            .andExpect(redirectedUrl("/ops/jobs/" + failed))
            .andReturn();

    assertThat(result.getFlashMap().get("problem"))
        .isEqualTo("Say what was done by hand before marking it resolved.");
    org.mockito.Mockito.verifyNoInteractions(retries);
  }

  @Test
  void aJobsPageShowsItsErrorAndItsWorkflowLink() throws Exception {
    UUID failed =
        jdbc.sql("SELECT id FROM jobs WHERE status = 'FAILED' LIMIT 1").query(UUID.class).single();
    jdbc.sql(
            "UPDATE jobs SET last_error_type = 'PROVIDER_REJECTED', last_error_message = 'Mailgun answered 400', resolution = 'UNRESOLVED' WHERE id = :id")
        .param("id", failed)
        .update();
    MockHttpSession viewer = signIn("viewer-test", VIEWER_PASSWORD);

    mvc.perform(get("/ops/jobs/" + failed).session(viewer))
        .andExpect(status().isOk())
        .andExpect(content().string(org.hamcrest.Matchers.containsString("Mailgun answered 400")))
        .andExpect(
            content()
                .string(
                    org.hamcrest.Matchers.containsString(
                        "http://127.0.0.1:8233/namespaces/default/workflows/notification-"
                            + failed)))
        .andExpect(
            content()
                .string(
                    org.hamcrest.Matchers.not(
                        org.hamcrest.Matchers.containsString("id=\"retry\""))));
    mvc.perform(get("/ops/jobs/" + UUID.randomUUID()).session(viewer))
        .andExpect(status().isOk())
        .andExpect(content().string(org.hamcrest.Matchers.containsString("There is no job")));
  }

  @Test
  void thePageOpensOnTheLast24Hours() throws Exception {
    MockHttpSession viewer = signIn("viewer-test", VIEWER_PASSWORD);

    String page =
        mvc.perform(get("/ops").session(viewer))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();

    assertThat(page).contains("id=\"count-total\">6<").contains("/ops/counts?period=24h");
  }
}
