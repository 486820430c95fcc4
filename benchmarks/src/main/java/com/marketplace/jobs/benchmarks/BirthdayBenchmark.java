package com.marketplace.jobs.benchmarks;

import com.marketplace.jobs.devstack.LocalStack;
import com.marketplace.jobs.devstack.MailgunSink;
import com.marketplace.jobs.security.codec.PayloadEncryption;
import com.marketplace.jobs.system.Sql;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The birthday figures of issue 12: 100,000 customers whose birthday it is today, in time zones
 * where the send window has opened, reminded by one {@code BirthdayReminderWorkflow} run against
 * the fake Mailgun (1,000 recipients a call): seconds from the start to the run's result, and
 * recipients per second. Target: at least 1,000 per second.
 */
final class BirthdayBenchmark {

  private static final int CUSTOMERS = 100_000;
  private static final long FIRST_ID = 5_000_000;

  private BirthdayBenchmark() {}

  static void run(LocalStack stack) throws Exception {
    Sql sql = new Sql(stack.database().dataSource());
    Instant now = Instant.now();
    LocalDate today = now.atZone(ZoneOffset.UTC).toLocalDate();
    // Region zones whose local date is today's UTC date and whose window (06:00) opened.
    List<String> zones =
        ZoneId.getAvailableZoneIds().stream()
            .filter(id -> id.matches("(Africa|America|Asia|Europe|Pacific)/.+"))
            .filter(
                id ->
                    now.atZone(ZoneId.of(id)).toLocalDate().equals(today)
                        && now.atZone(ZoneId.of(id)).toLocalTime().isAfter(LocalTime.of(6, 5)))
            .sorted()
            .limit(20)
            .toList();
    long seeding = System.nanoTime();
    sql.update(
        """
        INSERT INTO customers (id, tenant_id, email, first_name, birth_date, time_zone)
        SELECT ? + g, 1, 'bench' || g || '@example.com', 'Benchcustomer' || g,
               (?::date - ((20 + g % 50) * interval '1 year'))::date,
               (?::text[])[1 + g % ?]
          FROM generate_series(1, ?) AS g
        """,
        FIRST_ID, today.toString(), "{" + String.join(",", zones) + "}", zones.size(), CUSTOMERS);
    sql.update("ANALYZE customers");
    System.out.printf(
        "Birthdays: seeded %,d customers born on %s in %d zones (%s ...) in %.1f s.%n",
        CUSTOMERS,
        today.toString().substring(5),
        zones.size(),
        zones.get(0),
        (System.nanoTime() - seeding) / 1e9);

    WorkflowServiceStubs stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(stack.temporal().target()).build());
    WorkflowClient client =
        WorkflowClient.newInstance(
            stubs,
            WorkflowClientOptions.newBuilder()
                .setNamespace("default")
                .setDataConverter(PayloadEncryption.dataConverter(LocalStack.PAYLOAD_KEYS))
                .build());
    stack.mail().reset();
    WorkflowStub run =
        client.newUntypedWorkflowStub(
            "BirthdayReminderWorkflow",
            WorkflowOptions.newBuilder()
                .setTaskQueue("background-jobs")
                .setWorkflowId("birthday-reminders-bench-" + UUID.randomUUID())
                .build());
    long started = System.nanoTime();
    run.start();
    @SuppressWarnings("unchecked")
    Map<String, Object> summary = run.getResult(30, TimeUnit.MINUTES, Map.class);
    double seconds = (System.nanoTime() - started) / 1e9;

    List<MailgunSink.Received> accepted = stack.mail().accepted();
    long distinct = accepted.stream().map(r -> r.form().get("to")).distinct().count();
    long sent = ((Number) summary.get("sent")).longValue();
    long touchpoints =
        sql.count(
            "SELECT count(*) FROM touchpoints WHERE kind = 'birthday_reminder'"
                + " AND sent_at IS NOT NULL AND customer_id >= ?",
            FIRST_ID);
    System.out.printf("%nBirthday run over %,d customers due now:%n", CUSTOMERS);
    System.out.printf("  start -> result:         %.1f s%n", seconds);
    System.out.printf("  recipients per second:   %,.0f%n", sent / seconds);
    System.out.printf(
        "  summary:                 due %s, sent %s, late %s, batches %s%n",
        summary.get("due"), summary.get("sent"), summary.get("late"), summary.get("batches"));
    System.out.printf(
        "  at the fake Mailgun:     %,d accepted emails, %,d distinct recipients, %d calls%n",
        accepted.size(),
        distinct,
        accepted.stream().map(MailgunSink.Received::messageId).distinct().count());
    System.out.printf("  touchpoints sent:        %,d of the benchmark's customers%n", touchpoints);
    System.out.printf(
        "  target (issue 12):       at least 1,000 recipients per second: %s%n",
        sent / seconds >= 1000 ? "met" : "NOT met");
    stubs.shutdown();
  }
}
