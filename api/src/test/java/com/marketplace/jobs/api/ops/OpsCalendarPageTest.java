package com.marketplace.jobs.api.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.marketplace.jobs.api.calendar.CalendarConflictRows;
import com.marketplace.jobs.api.calendar.CalendarConflicts;
import com.marketplace.jobs.api.security.ApiSecurityConfig;
import com.marketplace.jobs.api.security.SecurityLog;
import com.marketplace.jobs.api.testsupport.MigratedPostgres;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;

/** /ops/calendar behind the login: the open conflicts, none of the cleared ones, a nav entry. */
@WebMvcTest(OpsCalendarController.class)
@Import({
  MigratedPostgres.class,
  SecurityLog.class,
  ApiSecurityConfig.class,
  OpsSecurityConfig.class,
  CalendarConflicts.class
})
class OpsCalendarPageTest {

  @Autowired private MockMvc mvc;
  @Autowired private JdbcClient jdbc;

  @BeforeEach
  void rows() {
    CalendarConflictRows.insert(jdbc);
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
  void withoutASessionTheCalendarPageSendsTheBrowserToTheLoginForm() throws Exception {
    mvc.perform(get("/ops/calendar")).andExpect(redirectedUrl("/ops/login"));
  }

  @Test
  void aViewerSeesEveryOpenConflictAndNoClearedOne() throws Exception {
    String page =
        mvc.perform(get("/ops/calendar").session(signIn()))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();

    assertThat(page.split("data-conflict-id=", -1)).as("three rows").hasSize(4);
    assertThat(page)
        .contains("id=\"nav-calendar\"")
        .contains("data-conflict-id=\"1\"")
        .contains("data-conflict-id=\"2\"")
        .contains("data-conflict-id=\"4\"")
        .contains("evt-one-a")
        .contains("evt-two-a")
        .doesNotContain("evt-one-c")
        .doesNotContain("No open calendar conflicts.");
  }

  @Test
  void withNoOpenConflictThePageSaysSo() throws Exception {
    jdbc.sql(
            "UPDATE calendar_conflicts SET cleared_at = now(), cleared_reason = 'BLOCK_DELETED'"
                + " WHERE cleared_at IS NULL")
        .update();

    String page =
        mvc.perform(get("/ops/calendar").session(signIn()))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();
    assertThat(page).contains("No open calendar conflicts.");
  }
}
