package com.marketplace.jobs.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.marketplace.jobs.devstack.MailgunSink;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The daily vehicle reminders through their Temporal Schedule (triggered through the api), the real
 * worker, dev server, PostgreSQL and fake Mailgun: due dates 3, 7 and 30 days out with the default
 * 7-day lead give exactly one email to the company, and a second run the same day gives none.
 */
class VehicleRemindersIT extends StackTest {

  private static final long TENANT = 9701;
  private static final long COMPANY = 970101;
  private static final String COMPANY_EMAIL = "fleet@harbour-rentals.test";

  private java.time.Instant lastTrigger = java.time.Instant.EPOCH;

  @Test
  void aDueDateAWeekOutIsRemindedOnceAndTheOthersNot() throws Exception {
    seedCompanyWithDueDatesInDays(3, 7, 30);

    JsonNode first = runVehicleReminders();
    List<MailgunSink.Received> afterFirst = emailsToTheCompany();
    JsonNode second = runVehicleReminders();

    assertThat(afterFirst).hasSize(1);
    assertThat(afterFirst.get(0).form().get("subject"))
        .isEqualTo("Inspection of vehicle Minibus #" + (COMPANY * 10 + 2) + " due on " + day(7));
    assertThat(first.path("sent").asInt()).isGreaterThanOrEqualTo(1);
    assertThat(emailsToTheCompany()).as("the second run sends nothing again").hasSize(1);
    assertThat(second.path("claimed").asInt()).isZero();
    assertThat(second.path("sent").asInt()).isZero();
    assertThat(
            sql.rows(
                "SELECT provider_message_id, late FROM touchpoints"
                    + " WHERE kind = 'vehicle_reminder' AND company_id = ?",
                COMPANY))
        .singleElement()
        .satisfies(
            row -> {
              assertThat(row.get("provider_message_id")).isEqualTo(afterFirst.get(0).messageId());
              assertThat(row.get("late")).isEqualTo(false);
            });
  }

  private void seedCompanyWithDueDatesInDays(int... days) {
    sql.update(
        "INSERT INTO tenants (id, name, plan, vehicle_limit) VALUES (?, 'Harbour', 'pro', 10)"
            + " ON CONFLICT DO NOTHING",
        TENANT);
    sql.update(
        "INSERT INTO companies (id, tenant_id, name, email) VALUES (?, ?, 'Harbour Rentals', ?)"
            + " ON CONFLICT DO NOTHING",
        COMPANY,
        TENANT,
        COMPANY_EMAIL);
    sql.update(
        "INSERT INTO vehicle_models (id, tenant_id, name) VALUES (?, ?, 'Minibus')"
            + " ON CONFLICT DO NOTHING",
        COMPANY,
        TENANT);
    String[] kinds = {"INSURANCE", "INSPECTION", "MAINTENANCE"};
    for (int i = 0; i < days.length; i++) {
      long vehicle = COMPANY * 10 + 1 + i;
      sql.update(
          "INSERT INTO vehicles (id, company_id, model_id) VALUES (?, ?, ?)"
              + " ON CONFLICT DO NOTHING",
          vehicle,
          COMPANY,
          COMPANY);
      sql.update(
          "INSERT INTO vehicle_due_dates (vehicle_id, kind, due_on)"
              + " VALUES (?, ?, (now() AT TIME ZONE 'UTC')::date + ?) ON CONFLICT DO NOTHING",
          vehicle,
          kinds[i % kinds.length],
          days[i]);
    }
  }

  /**
   * One run of the {@code vehicle-reminders} schedule, triggered through the api as an operator
   * would (the test stack keeps schedules paused; a trigger still runs), to its end: the run log's
   * row for it, and the run's result from Temporal.
   */
  private JsonNode runVehicleReminders() {
    // A triggered run's workflow id carries the trigger's second: one trigger per second.
    await().until(() -> java.time.Instant.now().getEpochSecond() > lastTrigger.getEpochSecond());
    lastTrigger = java.time.Instant.now();
    long runsBefore =
        sql.count("SELECT count(*) FROM schedule_runs WHERE schedule_id = 'vehicle-reminders'");
    JsonHttp.Response triggered = api.post("/api/schedules/vehicle-reminders/trigger", "");
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
                          + " WHERE schedule_id = 'vehicle-reminders' ORDER BY scheduled_at DESC, started_at DESC");
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

  private String day(int days) {
    return sql.rows("SELECT ((now() AT TIME ZONE 'UTC')::date + ?)::text AS day", days)
        .get(0)
        .get("day")
        .toString();
  }
}
