package com.marketplace.jobs.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Tenant marketplace toggles through HTTP, with the real dev server, PostgreSQL and the marketplace
 * fake. Demo tenant 1: company 101 on the marketplace (225 published vehicles listed), 102 off;
 * models 11 and 12 on, 13 off. Tenant 2: company 201 on (15 vehicles listed), 202 off (5 vehicles);
 * model 21 on, 22 off.
 */
class MarketplaceToggleIT extends StackTest {

  @Test
  void aDisableWhoseThirdMarketplaceCallFailsIsRolledBackToTheExactStateBefore() {
    Map<String, Boolean> flagsBefore = flags(1);
    List<Long> listedBefore = stack.marketplace().listed(101);
    assertThat(listedBefore).hasSize(225);
    // 225 listings: withdrawn in calls of 100, 100 and 25; the first two pass, the third is
    // refused with a 400 that no retry can heal.
    stack.marketplace().failNext(2, 0);
    stack.marketplace().failNext(1, 400);

    JsonHttp.Response accepted = api.post("/api/tenants/1/marketplace", "{\"enabled\": false}");
    assertThat(accepted.status()).isEqualTo(202);
    JsonNode failed = awaitFinished(accepted.json().path("jobId").asText(), Duration.ofSeconds(60));

    assertThat(failed.path("status").asText()).isEqualTo("FAILED");
    assertThat(failed.path("lastError").path("type").asText()).isEqualTo("ROLLED_BACK");
    assertThat(failed.path("lastError").path("message").asText())
        .startsWith("Marketplace disable of tenant 1 failed at step 'withdraw listings'")
        .endsWith("and was rolled back.");
    // Every flag as before: 101 and models 11, 12 back on; 102 and 13, off before, still off.
    assertThat(flags(1)).isEqualTo(flagsBefore);
    // The 200 listings withdrawn before the failure were listed again.
    assertThat(stack.marketplace().listed(101)).isEqualTo(listedBefore);
    assertThat(stack.marketplace().listed(102)).isEmpty();
  }

  @Test
  void enablingTouchesOnlyWhatWasOffAndDisablingTakesTheWholeTenantOff() {
    JsonHttp.Response enable = api.post("/api/tenants/2/marketplace", "{\"enabled\": true}");
    assertThat(enable.status()).isEqualTo(202);
    String enableJob = enable.json().path("jobId").asText();
    JsonNode enabled = awaitFinished(enableJob, Duration.ofSeconds(60));

    assertThat(enabled.path("status").asText()).as(enabled.toString()).isEqualTo("COMPLETED");
    assertThat(flags(2))
        .containsOnly(
            Map.entry("company 201", true), Map.entry("company 202", true),
            Map.entry("model 21", true), Map.entry("model 22", true));
    // Only what was off was switched and recorded: company 202, model 22, 202's 5 vehicles.
    assertThat(
            sql.rows(
                "SELECT entity || ' ' || entity_id AS change FROM moderation_changes"
                    + " WHERE job_id = ?::uuid AND entity <> 'LISTING' ORDER BY 1",
                enableJob))
        .extracting(row -> row.get("change"))
        .containsExactly("COMPANY_MARKETPLACE 202", "MODEL_MARKETPLACE 22");
    assertThat(stack.marketplace().listed(202))
        .containsExactly(400001L, 400002L, 400003L, 400004L, 400005L);
    assertThat(stack.marketplace().listed(201)).hasSize(15);
    assertThat(enabled.path("progress").path("completed").asLong()).isEqualTo(1 + 1 + 5);
    assertThat(enabled.path("progress").path("total").asLong()).isEqualTo(1 + 1 + 5);

    JsonHttp.Response again = api.post("/api/tenants/2/marketplace", "{\"enabled\": true}");
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.json().path("detail").asText())
        .isEqualTo("Every company and vehicle model of tenant 2 is already on the marketplace.");

    String disableJob =
        api.post("/api/tenants/2/marketplace", "{\"enabled\": false}")
            .json()
            .path("jobId")
            .asText();
    assertThat(awaitFinished(disableJob, Duration.ofSeconds(60)).path("status").asText())
        .isEqualTo("COMPLETED");
    assertThat(flags(2)).doesNotContainValue(true);
    assertThat(stack.marketplace().listed(201)).isEmpty();
    assertThat(stack.marketplace().listed(202)).isEmpty();

    // Back to the demo state for the other tests.
    sql.update("UPDATE companies SET marketplace_enabled = true WHERE id = 201");
    sql.update("UPDATE vehicle_models SET marketplace_enabled = true WHERE id = 21");
    stack
        .marketplace()
        .seed(
            201,
            List.of(
                300001L, 300002L, 300003L, 300004L, 300005L, 300006L, 300007L, 300008L, 300009L,
                300010L, 300011L, 300012L, 300013L, 300014L, 300015L));
  }

  @Test
  void offOnOffInQuickSuccessionIsThreeJobsAndLeavesTheTenantOff() {
    try {
      String off = toggleAndAwait(2, false);
      assertThat(flags(2)).doesNotContainValue(true);
      String on = toggleAndAwait(2, true);
      assertThat(flags(2)).doesNotContainValue(false);
      String offAgain = toggleAndAwait(2, false);

      assertThat(List.of(off, on, offAgain)).doesNotHaveDuplicates();
      assertThat(flags(2)).doesNotContainValue(true);
      assertThat(stack.marketplace().listed(201)).isEmpty();
      assertThat(stack.marketplace().listed(202)).isEmpty();
    } finally {
      // Back to the demo state for the other tests: 201 and model 21 on, 202 and 22 off.
      sql.update("UPDATE companies SET marketplace_enabled = (id = 201) WHERE tenant_id = 2");
      sql.update("UPDATE vehicle_models SET marketplace_enabled = (id = 21) WHERE tenant_id = 2");
      stack.marketplace().seed(202, List.of());
      stack
          .marketplace()
          .seed(
              201,
              List.of(
                  300001L, 300002L, 300003L, 300004L, 300005L, 300006L, 300007L, 300008L, 300009L,
                  300010L, 300011L, 300012L, 300013L, 300014L, 300015L));
    }
  }

  /** Toggles the tenant and waits for the job to complete: each call must be a new job. */
  private String toggleAndAwait(long tenant, boolean enabled) {
    JsonHttp.Response accepted =
        api.post("/api/tenants/" + tenant + "/marketplace", "{\"enabled\": " + enabled + "}");
    assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
    assertThat(accepted.header("Idempotent-Replayed")).isNull();
    String jobId = accepted.json().path("jobId").asText();
    JsonNode finished = awaitFinished(jobId, Duration.ofSeconds(60));
    assertThat(finished.path("status").asText()).as(finished.toString()).isEqualTo("COMPLETED");
    return jobId;
  }

  @Test
  void refusalsAre400404Or409AndStartNothing() {
    long jobsBefore = sql.count("SELECT count(*) FROM jobs");

    JsonHttp.Response unknown = api.post("/api/tenants/999/marketplace", "{\"enabled\": true}");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.header("Content-Type")).startsWith("application/problem+json");
    JsonHttp.Response notBoolean =
        api.post("/api/tenants/1/marketplace", "{\"enabled\": \"yes please\"}");
    assertThat(notBoolean.status()).isEqualTo(400);
    assertThat(notBoolean.json().path("errors").get(0).path("field").asText()).isEqualTo("enabled");
    JsonHttp.Response missing = api.post("/api/tenants/1/marketplace", "{}");
    assertThat(missing.status()).isEqualTo(400);

    assertThat(sql.count("SELECT count(*) FROM jobs")).isEqualTo(jobsBefore);
  }
}
