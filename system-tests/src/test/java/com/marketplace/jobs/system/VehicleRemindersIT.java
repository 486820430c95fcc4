package com.marketplace.jobs.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.marketplace.jobs.devstack.MailgunSink;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The daily vehicle reminders through the real worker, dev server, PostgreSQL and fake Mailgun: due
 * dates 3, 7 and 30 days out with the default 7-day lead give exactly one email to the company, and
 * a second run the same day gives none.
 */
class VehicleRemindersIT extends StackTest {

  private static final long TENANT = 9701;
  private static final long COMPANY = 970101;
  private static final String COMPANY_EMAIL = "fleet@harbour-rentals.test";

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

  /** One run of the workflow the vehicle-reminders schedule starts, to its end. */
  private JsonNode runVehicleReminders() {
    WorkflowStub run =
        temporalClient()
            .newUntypedWorkflowStub(
                "VehicleReminderWorkflow",
                WorkflowOptions.newBuilder()
                    .setTaskQueue("background-jobs")
                    .setWorkflowId("vehicle-reminders-it-" + UUID.randomUUID())
                    .build());
    run.start();
    return run.getResult(JsonNode.class);
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
