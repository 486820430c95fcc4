package com.marketplace.jobs.benchmarks;

import com.google.protobuf.util.Timestamps;
import com.marketplace.jobs.devstack.LocalStack;
import com.marketplace.jobs.security.codec.PayloadEncryption;
import com.marketplace.jobs.system.JsonHttp;
import com.marketplace.jobs.system.LargeCompany;
import com.marketplace.jobs.system.Sql;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The ban figures of the saga issue: a ban and an unban of a company with 10,000 vehicles and
 * 10,000 orders (on the marketplace, in the search index), from the 202 to COMPLETED, with the time
 * each activity took (from the workflow's history); beside the same row updates done as one plain
 * SQL transaction on the same data.
 */
final class BanBenchmark {

  private static final int SIZE = 10_000;

  private BanBenchmark() {}

  static void run(LocalStack stack) throws Exception {
    Sql sql = new Sql(stack.database().dataSource());
    WorkflowClient temporal =
        WorkflowClient.newInstance(
            WorkflowServiceStubs.newServiceStubs(
                WorkflowServiceStubsOptions.newBuilder()
                    .setTarget(stack.temporal().target())
                    .build()),
            WorkflowClientOptions.newBuilder()
                .setDataConverter(PayloadEncryption.dataConverter(LocalStack.PAYLOAD_KEYS))
                .build());
    JsonHttp api = JsonHttp.api(stack);
    LargeCompany warmUp = LargeCompany.of(961, 500).create(stack, sql);
    System.out.println("Warming up: ban and unban of a company with 500 vehicles and orders...");
    timedJob(temporal, api, sql, "/api/companies/961/ban", "{\"reason\": \"warm-up\"}");
    timedJob(temporal, api, sql, "/api/companies/961/unban", "");
    warmUp.delete(stack, sql);

    LargeCompany company = LargeCompany.of(951, SIZE).create(stack, sql);
    System.out.printf(
        "%nCompany %d: %,d published vehicles, %,d ACTIVE orders, on the marketplace, indexed.%n",
        company.companyId(), SIZE, SIZE);
    Timed ban =
        timedJob(temporal, api, sql, "/api/companies/951/ban", "{\"reason\": \"benchmark\"}");
    Timed unban = timedJob(temporal, api, sql, "/api/companies/951/unban", "");

    double sqlBan =
        transaction(
            stack,
            "UPDATE companies SET status = 'BANNED' WHERE id = 951",
            "UPDATE vehicles SET published = false WHERE company_id = 951 AND published",
            "UPDATE orders SET status = 'DEACTIVATED' WHERE company_id = 951 AND status = 'ACTIVE'");
    double sqlUnban =
        transaction(
            stack,
            "UPDATE companies SET status = 'ACTIVE' WHERE id = 951",
            "UPDATE vehicles SET published = true WHERE company_id = 951 AND NOT published",
            "UPDATE orders SET status = 'ACTIVE' WHERE company_id = 951"
                + " AND status = 'DEACTIVATED'");
    company.delete(stack, sql);

    System.out.printf(
        "%n%-8s %10s %14s %8s %12s %8s   activities (seconds)%n",
        "", "saga s", "one SQL tx s", "ratio", "db steps s", "ratio");
    print("ban", ban, sqlBan);
    print("unban", unban, sqlUnban);
  }

  private record Timed(double seconds, String status, Map<String, Double> steps) {}

  /**
   * The activities that change rows of the platform's tables, as the one SQL transaction does; the
   * others count, call the search index or the marketplace, or send the email.
   */
  private static final Set<String> DATABASE_STEPS =
      Set.of(
          "ChangeCompanyStatus",
          "UnpublishVehicles",
          "DeactivateOrders",
          "RepublishVehicles",
          "ReactivateOrders");

  private static void print(String what, Timed timed, double sqlSeconds) {
    StringBuilder steps = new StringBuilder();
    timed.steps().forEach((step, s) -> steps.append(String.format("%s %.2f; ", step, s)));
    double database =
        timed.steps().entrySet().stream()
            .filter(step -> DATABASE_STEPS.contains(step.getKey()))
            .mapToDouble(Map.Entry::getValue)
            .sum();
    System.out.printf(
        "%-8s %10.2f %14.3f %7.1fx %12.2f %7.1fx   %s(%s)%n",
        what,
        timed.seconds(),
        sqlSeconds,
        timed.seconds() / sqlSeconds,
        database,
        database / sqlSeconds,
        steps,
        timed.status());
  }

  /** Posts a trigger, polls the ledger every 10 ms until the job finishes, times its steps. */
  private static Timed timedJob(
      WorkflowClient temporal, JsonHttp api, Sql sql, String path, String body)
      throws InterruptedException {
    long start = System.nanoTime();
    JsonHttp.Response accepted = api.post(path, body);
    if (accepted.status() != 202) {
      throw new IllegalStateException(
          path + " answered " + accepted.status() + ": " + accepted.body());
    }
    String job = accepted.json().path("jobId").asText();
    while (true) {
      String status =
          (String) sql.rows("SELECT status FROM jobs WHERE id = ?::uuid", job).get(0).get("status");
      if (status.equals("COMPLETED") || status.equals("FAILED")) {
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Timed(
            seconds,
            status,
            activityDurations(temporal, accepted.json().path("workflowId").asText()));
      }
      Thread.sleep(10);
    }
  }

  /**
   * Seconds from each activity's scheduling to its completion (all attempts), by activity type,
   * from the workflow's history.
   */
  private static Map<String, Double> activityDurations(WorkflowClient temporal, String workflowId) {
    Map<Long, HistoryEvent> scheduled = new HashMap<>();
    Map<String, Double> durations = new LinkedHashMap<>();
    for (HistoryEvent event : temporal.fetchHistory(workflowId).getHistory().getEventsList()) {
      if (event.hasActivityTaskScheduledEventAttributes()) {
        scheduled.put(event.getEventId(), event);
      } else if (event.hasActivityTaskCompletedEventAttributes()) {
        HistoryEvent start =
            scheduled.get(event.getActivityTaskCompletedEventAttributes().getScheduledEventId());
        String type = start.getActivityTaskScheduledEventAttributes().getActivityType().getName();
        durations.merge(
            type,
            Timestamps.toMillis(event.getEventTime()) / 1000.0
                - Timestamps.toMillis(start.getEventTime()) / 1000.0,
            Double::sum);
      }
    }
    return durations;
  }

  /** Runs the statements as one transaction and returns the seconds it took to commit. */
  private static double transaction(LocalStack stack, String... statements) throws SQLException {
    try (Connection connection = stack.database().dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      connection.setAutoCommit(false);
      long start = System.nanoTime();
      for (String sql : statements) {
        statement.executeUpdate(sql);
      }
      connection.commit();
      return (System.nanoTime() - start) / 1e9;
    }
  }
}
