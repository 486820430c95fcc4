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
                                payload, content_hash, created_at)
              VALUES (:id, :type, :status, 2, :workflowId, 'Workflow', 'background-jobs',
                      '{}'::jsonb, :hash, now() - CAST(:age AS interval))
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

    mvc.perform(post("/ops/jobs/retry").session(viewer).with(csrf()))
        .andExpect(status().isForbidden());
    mvc.perform(post("/ops/jobs/retry").session(operator)).andExpect(status().isForbidden());
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
}
