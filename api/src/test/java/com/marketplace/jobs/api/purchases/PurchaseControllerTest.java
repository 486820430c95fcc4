package com.marketplace.jobs.api.purchases;

import static org.hamcrest.Matchers.hasSize;
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
 * {@code GET /api/purchases} over real PostgreSQL: filters by status, flag and company, pages
 * newest first, and answers bad parameters with problem JSON.
 */
@Import({TrustedCaller.class, PurchaseQueries.class})
@WebMvcTest(PurchaseController.class)
class PurchaseControllerTest {

  private static final String PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON.toString();

  @Autowired private MockMvc mvc;
  @Autowired private JdbcClient jdbc;

  private long stuck;
  private long failed;

  @BeforeEach
  void purchases() {
    jdbc.sql("DELETE FROM vehicle_purchases").update();
    jdbc.sql(
            "INSERT INTO tenants (id, name, plan, vehicle_limit) VALUES (24, 'Dune', 'pro', 50)"
                + " ON CONFLICT DO NOTHING")
        .update();
    jdbc.sql(
            """
            INSERT INTO companies (id, tenant_id, name, email) VALUES
              (2401, 24, 'Dune Cars', 'desk@dune-cars.test'),
              (2402, 24, 'Oasis Cars', 'desk@oasis-cars.test')
            ON CONFLICT DO NOTHING
            """)
        .update();
    jdbc.sql(
            "INSERT INTO vehicle_models (id, tenant_id, name) VALUES (241, 24, 'Buggy')"
                + " ON CONFLICT DO NOTHING")
        .update();
    jdbc.sql(
            """
            INSERT INTO vehicles (id, company_id, model_id)
            SELECT n, CASE WHEN n < 24050 THEN 2401 ELSE 2402 END, 241
              FROM generate_series(24001, 24099) AS n
            ON CONFLICT DO NOTHING
            """)
        .update();
    insert(24001, 2401, "ref-pending", "PENDING", false);
    stuck = insert(24002, 2401, "ref-stuck", "PENDING", true);
    insert(24003, 2401, "ref-done", "COMPLETED", false);
    failed = insert(24050, 2402, "ref-failed", "FAILED", false);
  }

  private long insert(long vehicle, long company, String reference, String status, boolean flag) {
    return jdbc.sql(
            """
            INSERT INTO vehicle_purchases (vehicle_id, company_id, provider_reference, status,
                                           requested_at, completed_at, failed_at, failure_reason,
                                           stuck_flagged_at, last_checked_at)
            VALUES (:vehicle, :company, :reference, :status, now() - interval '8 days',
                    CASE WHEN :status = 'COMPLETED' THEN now() END,
                    CASE WHEN :status = 'FAILED' THEN now() END,
                    CASE WHEN :status = 'FAILED' THEN 'payment_declined' END,
                    CASE WHEN :flag THEN now() END, now())
            RETURNING id
            """)
        .param("vehicle", vehicle)
        .param("company", company)
        .param("reference", reference)
        .param("status", status)
        .param("flag", flag)
        .query(Long.class)
        .single();
  }

  @Test
  void everyPurchaseNewestFirst() throws Exception {
    mvc.perform(get("/api/purchases"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.purchases", hasSize(4)))
        .andExpect(jsonPath("$.purchases[0].id").value(failed))
        .andExpect(jsonPath("$.purchases[0].status").value("FAILED"))
        .andExpect(jsonPath("$.purchases[0].failureReason").value("payment_declined"))
        .andExpect(jsonPath("$.purchases[0].companyId").value(2402))
        .andExpect(jsonPath("$.nextBefore").value(nullValue()));
  }

  @Test
  void pendingPurchasesFlaggedAsStuck() throws Exception {
    mvc.perform(get("/api/purchases").param("status", "pending").param("flagged", "true"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.purchases", hasSize(1)))
        .andExpect(jsonPath("$.purchases[0].id").value(stuck))
        .andExpect(jsonPath("$.purchases[0].providerReference").value("ref-stuck"))
        .andExpect(jsonPath("$.purchases[0].stuck").value(true))
        .andExpect(jsonPath("$.purchases[0].stuckFlaggedAt").isNotEmpty());
  }

  @Test
  void oneCompanysPurchasesPageByPage() throws Exception {
    mvc.perform(get("/api/purchases").param("companyId", "2401").param("limit", "2"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.purchases", hasSize(2)))
        .andExpect(jsonPath("$.purchases[0].providerReference").value("ref-done"))
        .andExpect(jsonPath("$.purchases[1].providerReference").value("ref-stuck"))
        .andExpect(jsonPath("$.nextBefore").value(stuck));
    mvc.perform(
            get("/api/purchases")
                .param("companyId", "2401")
                .param("limit", "2")
                .param("before", Long.toString(stuck)))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.purchases", hasSize(1)))
        .andExpect(jsonPath("$.purchases[0].providerReference").value("ref-pending"))
        .andExpect(jsonPath("$.nextBefore").value(nullValue()));
  }

  @Test
  void anUnknownStatusIsAProblem() throws Exception {
    mvc.perform(get("/api/purchases").param("status", "STUCK"))
        .andExpect(status().isBadRequest())
        .andExpect(content().contentTypeCompatibleWith(PROBLEM_JSON))
        .andExpect(jsonPath("$.status").value(400))
        .andExpect(jsonPath("$.detail").value("status must be one of PENDING, COMPLETED, FAILED."));
  }

  @Test
  void badNumbersAndFlagsAreProblems() throws Exception {
    mvc.perform(get("/api/purchases").param("limit", "0"))
        .andExpect(status().isBadRequest())
        .andExpect(content().contentTypeCompatibleWith(PROBLEM_JSON))
        .andExpect(jsonPath("$.detail").value("limit must be between 1 and 500."));
    mvc.perform(get("/api/purchases").param("companyId", "abc"))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.detail").value("companyId must be a positive integer."));
    mvc.perform(get("/api/purchases").param("before", "-3"))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.detail").value("before must be a positive integer."));
    mvc.perform(get("/api/purchases").param("flagged", "yes"))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.detail").value("flagged must be true or false."));
  }
}
