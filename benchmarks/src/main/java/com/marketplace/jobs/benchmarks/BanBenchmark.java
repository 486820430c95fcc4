package com.marketplace.jobs.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.marketplace.jobs.devstack.LocalStack;
import com.marketplace.jobs.system.JsonHttp;
import com.marketplace.jobs.system.LargeCompany;
import com.marketplace.jobs.system.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ban figures of the saga issue: a ban and an unban of a company with 10,000 vehicles and
 * 10,000 orders (on the marketplace, in the search index), from the 202 to COMPLETED, with the time
 * each step took (from the ledger's progress); beside the same row updates done as one plain SQL
 * transaction on the same data.
 */
final class BanBenchmark {

  private static final int SIZE = 10_000;

  private BanBenchmark() {}

  static void run(LocalStack stack) throws Exception {
    Sql sql = new Sql(stack.database().dataSource());
    JsonHttp api = new JsonHttp(stack.api().url());
    LargeCompany warmUp = LargeCompany.of(961, 500).create(stack, sql);
    System.out.println("Warming up: ban and unban of a company with 500 vehicles and orders...");
    timedJob(api, sql, "/api/companies/961/ban", "{\"reason\": \"warm-up\"}");
    timedJob(api, sql, "/api/companies/961/unban", "");
    warmUp.delete(sql);

    LargeCompany company = LargeCompany.of(951, SIZE).create(stack, sql);
    System.out.printf(
        "%nCompany %d: %,d published vehicles, %,d ACTIVE orders, on the marketplace, indexed.%n",
        company.companyId(), SIZE, SIZE);
    Timed ban = timedJob(api, sql, "/api/companies/951/ban", "{\"reason\": \"benchmark\"}");
    Timed unban = timedJob(api, sql, "/api/companies/951/unban", "");

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
    company.delete(sql);

    System.out.printf(
        "%n%-8s %10s %14s %8s   steps (seconds)%n", "", "saga s", "one SQL tx s", "ratio");
    print("ban", ban, sqlBan);
    print("unban", unban, sqlUnban);
  }

  private record Timed(double seconds, String status, Map<String, Double> steps) {}

  private static void print(String what, Timed timed, double sqlSeconds) {
    StringBuilder steps = new StringBuilder();
    timed.steps().forEach((step, s) -> steps.append(String.format("%s %.2f; ", step, s)));
    System.out.printf(
        "%-8s %10.2f %14.3f %7.1fx   %s(%s)%n",
        what, timed.seconds(), sqlSeconds, timed.seconds() / sqlSeconds, steps, timed.status());
  }

  /** Posts a trigger and polls the ledger every 10 ms until it finishes, timing each step. */
  private static Timed timedJob(JsonHttp api, Sql sql, String path, String body)
      throws InterruptedException {
    long start = System.nanoTime();
    JsonHttp.Response accepted = api.post(path, body);
    if (accepted.status() != 202) {
      throw new IllegalStateException(
          path + " answered " + accepted.status() + ": " + accepted.body());
    }
    String job = accepted.json().path("jobId").asText();
    Map<String, Double> steps = new LinkedHashMap<>();
    String step = "accepted";
    long stepStart = start;
    while (true) {
      Map<String, Object> row =
          sql.rows("SELECT status, progress_step FROM jobs WHERE id = ?::uuid", job).get(0);
      String status = (String) row.get("status");
      String current = row.get("progress_step") == null ? step : (String) row.get("progress_step");
      long now = System.nanoTime();
      if (!current.equals(step)) {
        steps.merge(step, (now - stepStart) / 1e9, Double::sum);
        step = current;
        stepStart = now;
      }
      if (status.equals("COMPLETED") || status.equals("FAILED")) {
        steps.merge(step + " (to end)", (now - stepStart) / 1e9, Double::sum);
        JsonNode view = api.get("/api/jobs/" + job).json();
        return new Timed((now - start) / 1e9, view.path("status").asText(), steps);
      }
      Thread.sleep(10);
    }
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
