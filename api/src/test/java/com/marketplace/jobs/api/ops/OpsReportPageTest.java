package com.marketplace.jobs.api.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.marketplace.jobs.api.reports.ReliabilityReports;
import com.marketplace.jobs.api.scheduling.ScheduleReliability;
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

/** /ops/report behind the /ops login: the reliability figures of the ledger as a table. */
@WebMvcTest(OpsReportController.class)
@Import({
  MigratedPostgres.class,
  SecurityLog.class,
  ApiSecurityConfig.class,
  OpsSecurityConfig.class,
  ReliabilityReports.class
})
class OpsReportPageTest {

  private static final String VIEWER_PASSWORD = "ops-test-viewer-password";

  @MockitoBean private ScheduleReliability schedules;
  @Autowired private MockMvc mvc;
  @Autowired private JdbcClient jdbc;

  @BeforeEach
  void ledger() {
    jdbc.sql("DELETE FROM jobs").update();
    jdbc.sql("DELETE FROM job_daily_rollups").update();
    for (String status : new String[] {"COMPLETED", "COMPLETED", "COMPLETED", "FAILED"}) {
      UUID id = UUID.randomUUID();
      jdbc.sql(
              """
              INSERT INTO jobs (id, type, status, priority, workflow_id, workflow_type,
                                task_queue, payload, content_hash, created_at)
              VALUES (:id, 'notification', :status, 2, :wf, 'W', 'background-jobs', '{}', 'h',
                      TIMESTAMPTZ '2026-03-01 10:00:00Z')
              """)
          .param("id", id)
          .param("status", status)
          .param("wf", "notification-" + id)
          .update();
    }
  }

  private MockHttpSession signIn() throws Exception {
    return (MockHttpSession)
        mvc.perform(formLogin("/ops/login").user("viewer-test").password(VIEWER_PASSWORD))
            .andExpect(redirectedUrl("/ops"))
            .andReturn()
            .getRequest()
            .getSession(false);
  }

  @Test
  void aViewerSeesTheFiguresOfTheChosenDays() throws Exception {
    String page =
        mvc.perform(
                get("/ops/report")
                    .param("from", "2026-03-01")
                    .param("to", "2026-03-01")
                    .session(signIn()))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();

    assertThat(page)
        .contains("id=\"nav-report\"")
        .contains("data-type=\"overall\"")
        .contains("data-type=\"notification\"")
        .contains("75.00 %")
        .contains("value=\"2026-03-01\"");
  }

  @Test
  void badDatesAreExplainedOnThePage() throws Exception {
    String page =
        mvc.perform(
                get("/ops/report")
                    .param("from", "2026-03-05")
                    .param("to", "2026-03-01")
                    .session(signIn()))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();

    assertThat(page).contains("must not be after to").doesNotContain("id=\"reliability\"");
  }

  @Test
  void withoutASessionTheReportSendsTheBrowserToTheLoginForm() throws Exception {
    mvc.perform(get("/ops/report")).andExpect(redirectedUrl("/ops/login"));
  }
}
