package com.marketplace.jobs.api.plans;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.nullValue;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.marketplace.jobs.api.testsupport.TrustedCaller;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

/**
 * {@code GET /api/tenants/{id}/usage} over real rows on PostgreSQL, with the real security rules:
 * figures, flags, the message the platform shows, the held-back vehicles; 404 and 400 as problem
 * JSON.
 */
@Import({TrustedCaller.class, TenantUsages.class})
@WebMvcTest(TenantUsageController.class)
class TenantUsageControllerTest {

  private static final String PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON.toString();

  @Autowired private MockMvc mvc;
  @Autowired private JdbcClient jdbc;

  @BeforeEach
  void rows() {
    PlanTestRows.write(jdbc);
  }

  @Test
  void at79PercentAllIsWellAndPublishingIsOpen() throws Exception {
    mvc.perform(get("/api/tenants/{id}/usage", PlanTestRows.AT_79))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.tenantId").value(PlanTestRows.AT_79))
        .andExpect(jsonPath("$.plan").value("starter"))
        .andExpect(jsonPath("$.limits.publishedVehicles.used").value(79))
        .andExpect(jsonPath("$.limits.publishedVehicles.limit").value(100))
        .andExpect(jsonPath("$.limits.publishedVehicles.percent").value(79))
        .andExpect(jsonPath("$.limits.activeCompanies").doesNotExist())
        .andExpect(jsonPath("$.warning").value(false))
        .andExpect(jsonPath("$.overLimit").value(false))
        .andExpect(jsonPath("$.canPublish").value(true))
        .andExpect(jsonPath("$.message").value("Within the starter plan's limits."))
        .andExpect(jsonPath("$.heldBackVehicleIds").isEmpty());
  }

  @Test
  void at80PercentTheWarningIsSetAndPublishingStillOpen() throws Exception {
    mvc.perform(get("/api/tenants/{id}/usage", PlanTestRows.AT_80))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.limits.publishedVehicles.percent").value(80))
        .andExpect(jsonPath("$.limits.publishedVehicles.warning").value(true))
        .andExpect(jsonPath("$.warning").value(true))
        .andExpect(jsonPath("$.overLimit").value(false))
        .andExpect(jsonPath("$.overSince").value(nullValue()))
        .andExpect(jsonPath("$.canPublish").value(true))
        .andExpect(
            jsonPath("$.message")
                .value(
                    "80% of the starter plan's vehicle limit is used (8 of 10 published"
                        + " vehicles)."));
  }

  @Test
  void overTheLimitPublishingIsRefusedWithAClearMessageAndTheHeldBackVehiclesAreListed()
      throws Exception {
    mvc.perform(get("/api/tenants/{id}/usage", PlanTestRows.OVER))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.limits.publishedVehicles.used").value(13))
        .andExpect(jsonPath("$.limits.publishedVehicles.percent").value(130))
        .andExpect(jsonPath("$.limits.publishedVehicles.reached").value(true))
        .andExpect(jsonPath("$.overLimit").value(true))
        .andExpect(jsonPath("$.overSince").isNotEmpty())
        .andExpect(jsonPath("$.canPublish").value(false))
        .andExpect(
            jsonPath("$.message")
                .value(
                    "The starter plan allows 10 published vehicles and 13 are published: no more"
                        + " vehicles can be published. 3 vehicles published beyond the limit are"
                        + " held back from the marketplace and search until the tenant is back"
                        + " under it. Upgrade the plan or unpublish vehicles to publish again."))
        .andExpect(jsonPath("$.heldBackVehicleIds", contains(14103011, 14103012, 14103013)));
  }

  @Test
  void aReachedCompanyLimitRefusesNewCompaniesButNotPublications() throws Exception {
    mvc.perform(get("/api/tenants/{id}/usage", PlanTestRows.COMPANIES_FULL))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.limits.activeCompanies.used").value(2))
        .andExpect(jsonPath("$.limits.activeCompanies.limit").value(2))
        .andExpect(jsonPath("$.limits.activeCompanies.percent").value(100))
        .andExpect(jsonPath("$.overLimit").value(true))
        .andExpect(jsonPath("$.canPublish").value(true))
        .andExpect(jsonPath("$.canAddCompany").value(false))
        .andExpect(jsonPath("$.message", containsString("no more companies can be added")));
  }

  @Test
  void anUnknownTenantIs404AndANonNumericIdIs400AsProblemJson() throws Exception {
    mvc.perform(get("/api/tenants/{id}/usage", 999999999))
        .andExpect(status().isNotFound())
        .andExpect(content().contentType(PROBLEM_JSON))
        .andExpect(jsonPath("$.detail").value("No tenant with id 999999999."));
    mvc.perform(get("/api/tenants/{id}/usage", "abc"))
        .andExpect(status().isBadRequest())
        .andExpect(content().contentType(PROBLEM_JSON))
        .andExpect(jsonPath("$.detail").value("tenantId must be a number (a tenant id)."));
  }
}
