package com.marketplace.jobs.api.plans;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.marketplace.jobs.api.ops.OpsSecurityConfig;
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

/**
 * /ops/tenants behind the login, for a viewer, over real rows on PostgreSQL: the tenants at 80% or
 * more and over their limit, over-limit first, with what they hold back; one at 79% is not listed.
 */
@WebMvcTest(OpsTenantsController.class)
@Import({
  MigratedPostgres.class,
  SecurityLog.class,
  ApiSecurityConfig.class,
  OpsSecurityConfig.class,
  TenantUsages.class
})
class OpsTenantsPageTest {

  @Autowired private MockMvc mvc;
  @Autowired private JdbcClient jdbc;

  @BeforeEach
  void rows() {
    PlanTestRows.write(jdbc);
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
  void withoutASessionThePageSendsTheBrowserToTheLoginForm() throws Exception {
    mvc.perform(get("/ops/tenants"))
        .andExpect(status().isFound())
        .andExpect(redirectedUrl("/ops/login"));
  }

  @Test
  void aViewerSeesTheTenantsAt80PercentAndOverTheLimitWithWhatIsHeldBack() throws Exception {
    String html =
        mvc.perform(get("/ops/tenants").session(signIn()))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();
    String over = row(html, PlanTestRows.OVER);
    String warning = row(html, PlanTestRows.AT_80);

    assertThat(html).contains("id=\"nav-tenants\"").contains("href=\"/ops/tenants\"");
    assertThat(over)
        .contains("data-state=\"over_limit\"")
        .contains("<td class=\"vehicles\">13 of 10 (130%)</td>")
        .contains("<span class=\"held-count\">3</span>")
        .contains("<span class=\"held-ids\">: 14103011, 14103012, 14103013</span>");
    assertThat(warning)
        .contains("data-state=\"warning\"")
        .contains("<td class=\"vehicles\">8 of 10 (80%)</td>")
        .contains("<span class=\"held-count\">0</span>")
        .doesNotContain("held-ids");
    assertThat(html).doesNotContain("data-tenant-id=\"" + PlanTestRows.AT_79 + "\"");
    assertThat(html.indexOf("data-tenant-id=\"" + PlanTestRows.OVER + "\""))
        .as("over the limit first")
        .isLessThan(html.indexOf("data-tenant-id=\"" + PlanTestRows.COMPANIES_FULL + "\""))
        .isLessThan(html.indexOf("data-tenant-id=\"" + PlanTestRows.AT_80 + "\""));
    assertThat(html.indexOf("data-tenant-id=\"" + PlanTestRows.COMPANIES_FULL + "\""))
        .isLessThan(html.indexOf("data-tenant-id=\"" + PlanTestRows.AT_80 + "\""));
  }

  /** The table row of {@code tenant}, from its {@code <tr} to its {@code </tr>}. */
  private static String row(String html, long tenant) {
    int start = html.indexOf("data-tenant-id=\"" + tenant + "\"");
    assertThat(start).as("tenant " + tenant + " listed").isPositive();
    return html.substring(start, html.indexOf("</tr>", start));
  }
}
