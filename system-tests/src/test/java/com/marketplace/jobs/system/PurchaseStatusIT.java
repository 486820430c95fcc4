package com.marketplace.jobs.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.marketplace.jobs.devstack.MailgunSink;
import com.marketplace.jobs.devstack.PurchaseProviderFake;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The purchase-status checks through their Temporal Schedule (triggered through the api), the real
 * worker, dev server, PostgreSQL, the fake purchase provider and fake Mailgun: pending purchases
 * become completed and failed as the provider says, one pending for eight days (past the default
 * 7-day limit) is flagged and its company emailed once, and a second run changes nothing of that.
 */
class PurchaseStatusIT extends StackTest {

  private static final long TENANT = 9714;
  private static final long COMPANY = 971401;
  private static final String COMPANY_EMAIL = "purchases@willow-wheels.test";

  private Instant lastTrigger = Instant.EPOCH;

  @Test
  void pendingPurchasesFollowTheProviderAndOneStuckPastTheLimitIsFlaggedOnce() throws Exception {
    seedCompany();
    long completed = purchase(COMPANY * 100 + 1, "it-purchase-completed", "1 hour");
    long failed = purchase(COMPANY * 100 + 2, "it-purchase-failed", "1 hour");
    long stuck = purchase(COMPANY * 100 + 3, "it-purchase-stuck", "8 days");
    long waiting = purchase(COMPANY * 100 + 4, "it-purchase-waiting", "1 hour");
    PurchaseProviderFake provider = stack.purchases();
    provider.complete("it-purchase-completed");
    provider.fail("it-purchase-failed", "card_declined");

    JsonNode first = runPurchaseStatusChecks();

    assertThat(status(completed)).containsEntry("status", "COMPLETED");
    assertThat(status(failed))
        .containsEntry("status", "FAILED")
        .containsEntry("failure_reason", "card_declined");
    assertThat(status(stuck)).containsEntry("status", "PENDING").containsEntry("flagged", true);
    assertThat(status(waiting)).containsEntry("status", "PENDING").containsEntry("flagged", false);
    assertThat(first.path("phase").asText()).isEqualTo("DONE");
    assertThat(first.path("completed").asInt()).isGreaterThanOrEqualTo(1);
    assertThat(first.path("failed").asInt()).isGreaterThanOrEqualTo(1);
    assertThat(first.path("flagged").asInt()).isGreaterThanOrEqualTo(1);
    List<MailgunSink.Received> emails = emailsToTheCompany();
    assertThat(emails).hasSize(1);
    assertThat(emails.get(0).form().get("subject"))
        .isEqualTo(
            "Purchase of vehicle Tandem #" + (COMPANY * 100 + 3) + " still pending after 8 days");
    assertThat(emails.get(0).form().get("text")).contains("reference it-purchase-stuck");

    JsonHttp.Response failedPurchases =
        api.get("/api/purchases?status=failed&companyId=" + COMPANY);
    assertThat(failedPurchases.status()).as(failedPurchases.body()).isEqualTo(200);
    assertThat(failedPurchases.json().path("purchases"))
        .singleElement()
        .satisfies(
            purchase -> {
              assertThat(purchase.path("id").asLong()).isEqualTo(failed);
              assertThat(purchase.path("failureReason").asText()).isEqualTo("card_declined");
            });
    JsonHttp.Response flagged =
        api.get("/api/purchases?status=PENDING&flagged=true&companyId=" + COMPANY);
    assertThat(flagged.json().path("purchases"))
        .singleElement()
        .satisfies(
            purchase -> {
              assertThat(purchase.path("id").asLong()).isEqualTo(stuck);
              assertThat(purchase.path("stuck").asBoolean()).isTrue();
            });
    JsonHttp.Response bad = api.get("/api/purchases?status=stuck");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.header("Content-Type")).startsWith("application/problem+json");
    assertThat(bad.json().path("detail").asText())
        .isEqualTo("status must be one of PENDING, COMPLETED, FAILED.");

    Object flaggedAt = flaggedAt(stuck);
    JsonNode second = runPurchaseStatusChecks();

    assertThat(second.path("flagged").asInt()).as("nothing new to flag").isZero();
    assertThat(emailsToTheCompany()).as("the second run emails nothing again").hasSize(1);
    assertThat(flaggedAt(stuck)).isEqualTo(flaggedAt);
    assertThat(
            sql.rows(
                "SELECT provider_message_id FROM touchpoints"
                    + " WHERE kind = 'purchase_stuck' AND company_id = ?",
                COMPANY))
        .singleElement()
        .satisfies(
            row -> assertThat(row.get("provider_message_id")).isEqualTo(emails.get(0).messageId()));
    assertThat(provider.calls("it-purchase-completed")).as("asked once, then done").hasSize(1);
    assertThat(provider.calls("it-purchase-stuck")).as("asked by both runs").hasSize(2);
    assertThat(
            sql.count(
                "SELECT count(*) FROM jobs WHERE type = 'purchase_status_checks'"
                    + " AND status = 'COMPLETED'"))
        .isGreaterThanOrEqualTo(2);
  }

  private void seedCompany() {
    sql.update(
        "INSERT INTO tenants (id, name, plan, vehicle_limit) VALUES (?, 'Willow', 'pro', 10)"
            + " ON CONFLICT DO NOTHING",
        TENANT);
    sql.update(
        "INSERT INTO companies (id, tenant_id, name, email) VALUES (?, ?, 'Willow Wheels', ?)"
            + " ON CONFLICT DO NOTHING",
        COMPANY,
        TENANT,
        COMPANY_EMAIL);
    sql.update(
        "INSERT INTO vehicle_models (id, tenant_id, name) VALUES (?, ?, 'Tandem')"
            + " ON CONFLICT DO NOTHING",
        COMPANY,
        TENANT);
  }

  private long purchase(long vehicle, String reference, String age) {
    sql.update(
        "INSERT INTO vehicles (id, company_id, model_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
        vehicle,
        COMPANY,
        COMPANY);
    sql.update(
        "INSERT INTO vehicle_purchases (vehicle_id, company_id, provider_reference, requested_at)"
            + " VALUES (?, ?, ?, now() - CAST(? AS interval))",
        vehicle,
        COMPANY,
        reference,
        age);
    return sql.count("SELECT id FROM vehicle_purchases WHERE provider_reference = ?", reference);
  }

  private Map<String, Object> status(long purchaseId) {
    return sql.rows(
            "SELECT status, failure_reason, stuck_flagged_at IS NOT NULL AS flagged"
                + " FROM vehicle_purchases WHERE id = ?",
            purchaseId)
        .get(0);
  }

  private Object flaggedAt(long purchaseId) {
    return sql.rows("SELECT stuck_flagged_at FROM vehicle_purchases WHERE id = ?", purchaseId)
        .get(0)
        .get("stuck_flagged_at");
  }

  /**
   * One run of the {@code purchase-status-checks} schedule, triggered through the api as an
   * operator would (the test stack keeps schedules paused; a trigger still runs), to its end: the
   * run log's row for it, and the run's result from Temporal.
   */
  private JsonNode runPurchaseStatusChecks() {
    // A triggered run's workflow id carries the trigger's second: one trigger per second.
    await().until(() -> Instant.now().getEpochSecond() > lastTrigger.getEpochSecond());
    lastTrigger = Instant.now();
    long runsBefore =
        sql.count(
            "SELECT count(*) FROM schedule_runs WHERE schedule_id = 'purchase-status-checks'");
    JsonHttp.Response triggered = api.post("/api/schedules/purchase-status-checks/trigger", "");
    assertThat(triggered.status()).as(triggered.body()).isEqualTo(202);
    String[] workflowId = new String[1];
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> {
              List<Map<String, Object>> runs =
                  sql.rows(
                      "SELECT workflow_id, outcome FROM schedule_runs"
                          + " WHERE schedule_id = 'purchase-status-checks'"
                          + " ORDER BY scheduled_at DESC, started_at DESC");
              if (runs.size() <= runsBefore || !"COMPLETED".equals(runs.get(0).get("outcome"))) {
                return false;
              }
              workflowId[0] = (String) runs.get(0).get("workflow_id");
              return true;
            });
    return temporalClient().newUntypedWorkflowStub(workflowId[0]).getResult(JsonNode.class);
  }

  private List<MailgunSink.Received> emailsToTheCompany() {
    return stack.mail().accepted().stream()
        .filter(email -> COMPANY_EMAIL.equals(email.form().get("to")))
        .toList();
  }
}
