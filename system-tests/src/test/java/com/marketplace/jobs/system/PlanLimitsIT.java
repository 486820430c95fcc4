package com.marketplace.jobs.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.marketplace.jobs.devstack.MailgunSink;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The daily plan-limit checks through their Temporal Schedule (triggered through the api), the real
 * worker, dev server, PostgreSQL, OpenSearch, fake Mailgun and fake marketplace: tenants at 79%,
 * 80% and 130% of their vehicle limit get no email, one warning (not twice in a month), and one
 * degradation with exactly the vehicles beyond the limit off the marketplace and out of search,
 * which {@code GET /api/tenants/{id}/usage} reports; raising the limit restores them.
 */
class PlanLimitsIT extends StackTest {

  private static final long AT_79 = 9801;
  private static final long AT_80 = 9802;
  private static final long OVER = 9803;
  private static final String ADMIN_79 = "admin@plans-seventynine.test";
  private static final String ADMIN_80 = "admin@plans-eighty.test";
  private static final String ADMIN_OVER = "admin@plans-over.test";

  /** The other tenants' limits, raised for this test so its runs hold back nothing of theirs. */
  private final Map<Long, Integer> otherLimits = new LinkedHashMap<>();

  private Instant lastTrigger = Instant.EPOCH;

  @BeforeEach
  void seed() {
    sql.rows("SELECT id, vehicle_limit FROM tenants WHERE id NOT BETWEEN 9801 AND 9803")
        .forEach(
            row ->
                otherLimits.put(
                    (Long) row.get("id"), ((Number) row.get("vehicle_limit")).intValue()));
    // Tests share the stack: other tests' tenants (a 100,000-vehicle fleet among them) stay far
    // under their limits while this test runs the check over every tenant.
    sql.update(
        """
        UPDATE tenants t SET vehicle_limit = greatest(t.vehicle_limit, 2 * (
          SELECT count(*) FROM vehicles v JOIN companies c ON c.id = v.company_id
           WHERE c.tenant_id = t.id) + 10)
         WHERE t.id NOT BETWEEN 9801 AND 9803
        """);
    tenant(AT_79, 100, 79, ADMIN_79);
    tenant(AT_80, 10, 8, ADMIN_80);
    tenant(OVER, 10, 13, ADMIN_OVER);
  }

  @AfterEach
  void restoreOtherLimits() {
    otherLimits.forEach(
        (id, limit) -> sql.update("UPDATE tenants SET vehicle_limit = ? WHERE id = ?", limit, id));
  }

  /**
   * A tenant with one company on the marketplace ({@code tenant * 100 + 1}) and {@code published}
   * vehicles ({@code company * 100 + n}), each listed on the marketplace and in search.
   */
  private void tenant(long id, int limit, int published, String admin) {
    long company = id * 100 + 1;
    sql.update(
        "INSERT INTO tenants (id, name, plan, vehicle_limit, admin_email)"
            + " VALUES (?, ?, 'starter', ?, ?)"
            + " ON CONFLICT (id) DO UPDATE SET vehicle_limit = EXCLUDED.vehicle_limit",
        id,
        "Plan Tenant " + id,
        limit,
        admin);
    sql.update(
        "INSERT INTO companies (id, tenant_id, name, email, marketplace_enabled)"
            + " VALUES (?, ?, 'Plan Rentals', 'desk@plan-rentals.test', true)"
            + " ON CONFLICT DO NOTHING",
        company,
        id);
    sql.update(
        "INSERT INTO vehicle_models (id, tenant_id, name, marketplace_enabled)"
            + " VALUES (?, ?, 'Roadster', true) ON CONFLICT DO NOTHING",
        id,
        id);
    sql.update(
        "INSERT INTO vehicles (id, company_id, model_id, published)"
            + " SELECT ? * 100 + n, ?, ?, true FROM generate_series(1, ?) AS n"
            + " ON CONFLICT DO NOTHING",
        company,
        company,
        id,
        published);
    List<Long> ids = vehicles(company, 1, published);
    stack.marketplace().seed(company, ids);
    JsonHttp search = new JsonHttp(stack.search().url());
    for (long vehicle : ids) {
      JsonHttp.Response indexed =
          search.post(
              "/vehicles/_doc/" + vehicle,
              """
              {"id": %d, "companyId": %d, "tenantId": %d, "modelId": %d, "modelName": "Roadster",
               "published": true}
              """
                  .formatted(vehicle, company, id, id));
      assertThat(indexed.status()).as(indexed.body()).isIn(200, 201);
    }
  }

  private static List<Long> vehicles(long company, int from, int to) {
    return LongStream.rangeClosed(from, to).map(n -> company * 100 + n).boxed().toList();
  }

  @Test
  void oneWarningOneDegradationWithExactlyTheVehiclesBeyondTheLimitHeldBackAndARestore() {
    long overCompany = OVER * 100 + 1;
    List<Long> beyond = vehicles(overCompany, 11, 13);

    runPlanLimitChecks();

    assertThat(emailsTo(ADMIN_79)).as("79%: nothing").isEmpty();
    List<MailgunSink.Received> warnings = emailsTo(ADMIN_80);
    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0).form().get("subject"))
        .isEqualTo("Plan Tenant 9802 is using 80% or more of its starter plan");
    List<MailgunSink.Received> degraded = emailsTo(ADMIN_OVER);
    assertThat(degraded).hasSize(1);
    assertThat(degraded.get(0).form().get("subject"))
        .isEqualTo(
            "Plan Tenant 9803 has reached the limit of its starter plan: 3 vehicles held back");
    assertThat(degraded.get(0).form().get("text"))
        .contains("98030111, 98030112, 98030113")
        .contains("Published vehicles: 13 of 10 (130%)");
    assertThat(stack.marketplace().listed(overCompany))
        .as("the first ten stay listed")
        .containsExactlyInAnyOrderElementsOf(vehicles(overCompany, 1, 10));
    assertThat(indexed(overCompany))
        .containsExactlyInAnyOrderElementsOf(vehicles(overCompany, 1, 10));
    assertThat(stack.marketplace().listed(AT_80 * 100 + 1)).hasSize(8);
    assertThat(indexed(AT_79 * 100 + 1)).hasSize(79);

    JsonNode usage = usage(OVER);
    assertThat(usage.path("overLimit").asBoolean()).isTrue();
    assertThat(usage.path("canPublish").asBoolean()).isFalse();
    assertThat(usage.path("limits").path("publishedVehicles").path("percent").asLong())
        .isEqualTo(130);
    assertThat(usage.path("message").asText())
        .startsWith("The starter plan allows 10 published vehicles and 13 are published");
    assertThat(ids(usage.path("heldBackVehicleIds"))).isEqualTo(beyond);
    JsonNode atEighty = usage(AT_80);
    assertThat(atEighty.path("warning").asBoolean()).isTrue();
    assertThat(atEighty.path("canPublish").asBoolean()).isTrue();
    assertThat(usage(AT_79).path("warning").asBoolean()).isFalse();

    runPlanLimitChecks();

    assertThat(emailsTo(ADMIN_80)).as("no second warning in the same month").hasSize(1);
    assertThat(emailsTo(ADMIN_OVER)).as("no second degradation email").hasSize(1);

    sql.update("UPDATE tenants SET vehicle_limit = 20 WHERE id = ?", OVER);
    runPlanLimitChecks();

    assertThat(stack.marketplace().listed(overCompany))
        .containsExactlyInAnyOrderElementsOf(vehicles(overCompany, 1, 13));
    assertThat(indexed(overCompany))
        .containsExactlyInAnyOrderElementsOf(vehicles(overCompany, 1, 13));
    List<MailgunSink.Received> told = emailsTo(ADMIN_OVER);
    assertThat(told).hasSize(2);
    assertThat(told.get(1).form().get("subject"))
        .isEqualTo("Plan Tenant 9803 is back under the limits of its starter plan");
    JsonNode lifted = usage(OVER);
    assertThat(lifted.path("overLimit").asBoolean()).isFalse();
    assertThat(lifted.path("canPublish").asBoolean()).isTrue();
    assertThat(lifted.path("heldBackVehicleIds").isEmpty()).isTrue();
  }

  @Test
  void theUsageOfAnUnknownTenantIs404AndOfANonNumericIdIs400() {
    JsonHttp.Response unknown = api.get("/api/tenants/987654321/usage");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.header("Content-Type")).startsWith("application/problem+json");
    JsonHttp.Response wrong = api.get("/api/tenants/nine/usage");
    assertThat(wrong.status()).isEqualTo(400);
    assertThat(wrong.json().path("detail").asText())
        .isEqualTo("tenantId must be a number (a tenant id).");
  }

  private JsonNode usage(long tenant) {
    JsonHttp.Response response = api.get("/api/tenants/" + tenant + "/usage");
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json();
  }

  private static List<Long> ids(JsonNode array) {
    List<Long> ids = new ArrayList<>();
    array.forEach(id -> ids.add(id.asLong()));
    return ids;
  }

  private List<MailgunSink.Received> emailsTo(String address) {
    return stack.mail().accepted().stream()
        .filter(email -> address.equals(email.form().get("to")))
        .toList();
  }

  /**
   * One run of the {@code plan-limit-checks} schedule, triggered through the api as an operator
   * would (the test stack keeps schedules paused; a trigger still runs), to its end in the run log.
   */
  private void runPlanLimitChecks() {
    // A triggered run's workflow id carries the trigger's second: one trigger per second.
    await().until(() -> Instant.now().getEpochSecond() > lastTrigger.getEpochSecond());
    lastTrigger = Instant.now();
    long runsBefore =
        sql.count("SELECT count(*) FROM schedule_runs WHERE schedule_id = 'plan-limit-checks'");
    JsonHttp.Response triggered = api.post("/api/schedules/plan-limit-checks/trigger", "");
    assertThat(triggered.status()).as(triggered.body()).isEqualTo(202);
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> {
              List<Map<String, Object>> runs =
                  sql.rows(
                      "SELECT outcome FROM schedule_runs WHERE schedule_id = 'plan-limit-checks'"
                          + " ORDER BY scheduled_at DESC, started_at DESC");
              return runs.size() > runsBefore && "COMPLETED".equals(runs.get(0).get("outcome"));
            });
  }
}
