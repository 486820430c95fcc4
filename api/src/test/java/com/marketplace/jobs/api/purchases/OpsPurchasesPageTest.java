package com.marketplace.jobs.api.purchases;

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
 * /ops/purchases behind the login, over real PostgreSQL: a viewer sees the purchases flagged as
 * pending too long apart from the other pending ones, the failed ones with their reason, and the
 * count per status; completed purchases are only counted.
 */
@WebMvcTest(OpsPurchasesController.class)
@Import({
  MigratedPostgres.class,
  SecurityLog.class,
  ApiSecurityConfig.class,
  OpsSecurityConfig.class,
  PurchaseQueries.class
})
class OpsPurchasesPageTest {

  @Autowired private MockMvc mvc;
  @Autowired private JdbcClient jdbc;

  @BeforeEach
  void purchases() {
    jdbc.sql("DELETE FROM vehicle_purchases").update();
    jdbc.sql(
            "INSERT INTO tenants (id, name, plan, vehicle_limit) VALUES (34, 'Fjord', 'pro', 50)"
                + " ON CONFLICT DO NOTHING")
        .update();
    jdbc.sql(
            "INSERT INTO companies (id, tenant_id, name, email) VALUES"
                + " (3401, 34, 'Fjord Cars', 'desk@fjord-cars.test') ON CONFLICT DO NOTHING")
        .update();
    jdbc.sql(
            "INSERT INTO vehicle_models (id, tenant_id, name) VALUES (341, 34, 'Wagon')"
                + " ON CONFLICT DO NOTHING")
        .update();
    jdbc.sql(
            "INSERT INTO vehicles (id, company_id, model_id)"
                + " SELECT n, 3401, 341 FROM generate_series(34001, 34010) AS n"
                + " ON CONFLICT DO NOTHING")
        .update();
    jdbc.sql(
            """
            INSERT INTO vehicle_purchases (vehicle_id, company_id, provider_reference, status,
                                           requested_at, stuck_flagged_at, last_check_error,
                                           completed_at, failed_at, failure_reason)
            VALUES
              (34001, 3401, 'ref-stuck-1', 'PENDING', now() - interval '9 days', now(), NULL,
               NULL, NULL, NULL),
              (34002, 3401, 'ref-waiting', 'PENDING', now() - interval '1 day', NULL,
               'Purchase provider refused the purchase: HTTP 404', NULL, NULL, NULL),
              (34003, 3401, 'ref-declined', 'FAILED', now() - interval '2 days', NULL, NULL,
               NULL, now(), 'payment_declined'),
              (34004, 3401, 'ref-done', 'COMPLETED', now() - interval '2 days', NULL, NULL,
               now(), NULL, NULL)
            """)
        .update();
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
    mvc.perform(get("/ops/purchases")).andExpect(redirectedUrl("/ops/login"));
  }

  @Test
  void aViewerSeesTheStuckPurchasesApartFromThePendingAndFailedOnes() throws Exception {
    String page =
        mvc.perform(get("/ops/purchases").session(signIn()))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();

    String stuck = section(page, "id=\"stuck-purchases\"");
    String pending = section(page, "id=\"pending-purchases\"");
    String failed = section(page, "id=\"failed-purchases\"");
    assertThat(page).contains("id=\"nav-purchases\"").contains("href=\"/ops/purchases\"");
    assertThat(stuck).contains("ref-stuck-1").doesNotContain("ref-waiting");
    assertThat(pending)
        .contains("ref-waiting")
        .contains("Purchase provider refused the purchase: HTTP 404")
        .doesNotContain("ref-stuck-1");
    assertThat(failed).contains("ref-declined").contains("payment_declined");
    assertThat(page)
        .doesNotContain("ref-done")
        .contains(
            "<span>2</span> pending,\n    <span>1</span> completed,\n    <span>1</span> failed.");
  }

  @Test
  void withNothingPendingThePageSaysSo() throws Exception {
    jdbc.sql("DELETE FROM vehicle_purchases").update();

    String page =
        mvc.perform(get("/ops/purchases").session(signIn()))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();

    assertThat(page)
        .contains("No purchase is pending too long.")
        .contains("No other purchase is pending.")
        .contains("No purchase failed.");
  }

  /** The table that starts with {@code marker}, up to its end. */
  private static String section(String page, String marker) {
    int start = page.indexOf(marker);
    assertThat(start).as(marker).isNotNegative();
    return page.substring(start, page.indexOf("</table>", start));
  }
}
