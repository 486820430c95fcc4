package com.marketplace.jobs.benchmarks;

import com.marketplace.jobs.devstack.AlertWebhookSink;
import com.marketplace.jobs.devstack.LocalStack;
import com.marketplace.jobs.devstack.MailgunSink;
import com.marketplace.jobs.system.JsonHttp;
import com.marketplace.jobs.system.Sql;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Time from a job's final failure to its alert at the fakes, with the {@code ops-alerts} schedule
 * running every minute as in production: {@link #FAILURES} notification jobs, one every {@link
 * #PACE}, each failing for good at its first attempt (its customer is deleted while the job waits
 * out a one-second delay: NOT_FOUND, not retryable); from the ledger's {@code finished_at} to the
 * webhook post and to the email at the Mailgun sink that name the job.
 */
final class AlertBenchmark {

  static final int FAILURES = 20;
  static final Duration PACE = Duration.ofSeconds(6);

  /** The schedules run, ops-alerts among them (the benchmark stack otherwise pauses them). */
  static final Map<String, String> WORKER_ENVIRONMENT = Map.of("JOBS_SCHEDULES_PAUSE_ALL", "false");

  private static final long FIRST_CUSTOMER = 9_100_000;

  private AlertBenchmark() {}

  static void run(LocalStack stack) throws InterruptedException {
    Sql sql = new Sql(stack.database().dataSource());
    JsonHttp api = JsonHttp.api(stack);
    List<String> jobs = new ArrayList<>();
    System.out.printf(
        "%d failing jobs, one every %d s, alerts checked every minute...%n",
        FAILURES, PACE.toSeconds());
    for (int i = 0; i < FAILURES; i++) {
      long customer = FIRST_CUSTOMER + i;
      sql.update(
          "INSERT INTO customers (id, tenant_id, email, first_name, time_zone)"
              + " VALUES (?, 1, ?, 'Bench', 'UTC')",
          customer,
          "bench-" + customer + "@example.com");
      JsonHttp.Response accepted =
          api.post(
              "/api/notifications",
              """
              {"customerId": %d, "template": "welcome", "delaySeconds": 1}
              """
                  .formatted(customer));
      if (accepted.status() != 202) {
        throw new IllegalStateException("not accepted: " + accepted.body());
      }
      jobs.add(accepted.json().path("jobId").asText());
      sql.update("DELETE FROM customers WHERE id = ?", customer);
      Thread.sleep(PACE.toMillis());
    }
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    List<Long> toWebhook = new ArrayList<>();
    List<Long> toEmail = new ArrayList<>();
    while (true) {
      toWebhook.clear();
      toEmail.clear();
      for (String job : jobs) {
        Optional<Instant> failed = failedAt(sql, job);
        Optional<Instant> posted =
            stack.alertWebhook().acceptedMentioning(job).stream()
                .map(AlertWebhookSink.Post::at)
                .findFirst();
        Optional<Instant> emailed =
            stack.mail().accepted().stream()
                .filter(email -> LocalStack.OPS_ALERTS_EMAIL.equals(email.form().get("to")))
                .filter(email -> email.form().get("text").contains(job))
                .map(MailgunSink.Received::at)
                .findFirst();
        if (failed.isPresent() && posted.isPresent()) {
          toWebhook.add(Duration.between(failed.get(), posted.get()).toNanos() / 1000);
        }
        if (failed.isPresent() && emailed.isPresent()) {
          toEmail.add(Duration.between(failed.get(), emailed.get()).toNanos() / 1000);
        }
      }
      if (toWebhook.size() == FAILURES && toEmail.size() == FAILURES) {
        break;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "after 5 minutes only "
                + toWebhook.size()
                + " webhook posts and "
                + toEmail.size()
                + " emails of "
                + FAILURES);
      }
      Thread.sleep(1000);
    }
    System.out.printf("%nFinal failure -> alert, over %d failed jobs:%n", FAILURES);
    System.out.printf("  webhook post at the fake   %s%n", Percentiles.ofMicros(toWebhook));
    System.out.printf("  email at the Mailgun sink  %s%n", Percentiles.ofMicros(toEmail));
    System.out.printf("  alerts in ops_alerts: %d%n", sql.count("SELECT count(*) FROM ops_alerts"));
  }

  private static Optional<Instant> failedAt(Sql sql, String jobId) {
    return sql
        .rows("SELECT finished_at FROM jobs WHERE id = ?::uuid AND status = 'FAILED'", jobId)
        .stream()
        .findFirst()
        .map(row -> ((java.sql.Timestamp) row.get("finished_at")).toInstant());
  }
}
