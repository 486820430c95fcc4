package com.marketplace.jobs.benchmarks;

import com.marketplace.jobs.devstack.LocalStack;
import com.marketplace.jobs.system.Sql;
import com.marketplace.jobs.system.StripeWebhooks;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The payment figures of issue 5: the Stripe webhook's answer latency over 1,000 signed events, 50
 * at a time, on a warm stack; and the time from an event to its captured payment, without faults,
 * paced, and again while 1,000 internal jobs are queued.
 */
final class WebhookBenchmark {

  private static final int EVENTS = 1_000;
  private static final int CONCURRENCY = 50;
  private static final int PACED = 100;
  private static final int QUEUED_INTERNAL = 1_000;
  private static final long FIRST_TENANT = 70_001;

  private WebhookBenchmark() {}

  static void run(LocalStack stack) throws Exception {
    Sql sql = new Sql(stack.database().dataSource());
    String url = stack.api().url() + "/webhooks/stripe";
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    System.out.println("Webhooks: warming up with 200 signed events...");
    deliver(http, url, 200, CONCURRENCY, "warm");
    awaitCaptured(sql, Duration.ofMinutes(5));

    Map<String, Long> sentAt = new ConcurrentHashMap<>();
    List<Long> answers = deliver(http, url, EVENTS, CONCURRENCY, "burst", sentAt);
    System.out.printf(
        "%nPOST /webhooks/stripe, %,d signed events, %d concurrent (client-side, keep-alive):%n"
            + "  answer %s%n",
        EVENTS, CONCURRENCY, Percentiles.ofMicros(answers));
    awaitCaptured(sql, Duration.ofMinutes(10));
    System.out.printf(
        "  event -> captured (the whole burst queued at once)  %s%n",
        Percentiles.ofMicros(capturedAfter(sql, sentAt)));

    System.out.printf("%nEvent -> captured payment, %d events at 10/s, no faults:%n", PACED);
    System.out.printf("  idle worker                   %s%n", paced(sql, http, url, "idle"));

    seedTenants(sql);
    long queueing = System.nanoTime();
    List<Future<Integer>> toggles = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    for (int i = 0; i < QUEUED_INTERNAL; i++) {
      long tenant = FIRST_TENANT + i;
      toggles.add(
          pool.submit(
              () ->
                  http.send(
                          HttpRequest.newBuilder(
                                  URI.create(
                                      stack.api().url()
                                          + "/api/tenants/"
                                          + tenant
                                          + "/marketplace"))
                              .header("Content-Type", "application/json")
                              .POST(HttpRequest.BodyPublishers.ofString("{\"enabled\": true}"))
                              .build(),
                          HttpResponse.BodyHandlers.discarding())
                      .statusCode()));
    }
    for (Future<Integer> toggle : toggles) {
      if (toggle.get() != 202) {
        throw new IllegalStateException("a toggle was not accepted: " + toggle.get());
      }
    }
    pool.shutdown();
    System.out.printf(
        "  (%,d internal jobs accepted in %.1f s; %,d still unfinished as the events start)%n",
        QUEUED_INTERNAL,
        (System.nanoTime() - queueing) / 1e9,
        sql.count(
            "SELECT count(*) FROM jobs WHERE type = 'marketplace_toggle'"
                + " AND status IN ('PENDING', 'PROCESSING')"));
    System.out.printf("  1,000 internal jobs queued    %s%n", paced(sql, http, url, "busy"));
    long unfinished =
        sql.count(
            "SELECT count(*) FROM jobs WHERE type = 'marketplace_toggle'"
                + " AND status IN ('PENDING', 'PROCESSING')");
    System.out.printf(
        "  (%,d internal jobs still unfinished when the last payment was captured)%n", unfinished);
  }

  private static Percentiles paced(Sql sql, HttpClient http, String url, String label)
      throws Exception {
    Map<String, Long> sentAt = new ConcurrentHashMap<>();
    for (int i = 0; i < PACED; i++) {
      long next = System.nanoTime() + 100_000_000L;
      send(http, url, label + "-" + i, sentAt);
      long wait = next - System.nanoTime();
      if (wait > 0) {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      }
    }
    awaitCaptured(sql, Duration.ofMinutes(10));
    return Percentiles.ofMicros(capturedAfter(sql, sentAt));
  }

  private static List<Long> deliver(
      HttpClient http, String url, int count, int concurrency, String label) throws Exception {
    return deliver(http, url, count, concurrency, label, new ConcurrentHashMap<>());
  }

  /** Sends {@code count} events from {@code concurrency} threads; answer latencies in µs. */
  private static List<Long> deliver(
      HttpClient http,
      String url,
      int count,
      int concurrency,
      String label,
      Map<String, Long> sentAt)
      throws Exception {
    List<Long> micros = Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    List<Future<?>> sends = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String name = label + "-" + i;
      sends.add(pool.submit(() -> micros.add(send(http, url, name, sentAt))));
    }
    for (Future<?> send : sends) {
      send.get();
    }
    pool.shutdown();
    return micros;
  }

  /** One signed amount_capturable_updated event for a new intent; its answer latency in µs. */
  private static long send(HttpClient http, String url, String name, Map<String, Long> sentAt)
      throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    String intent = "pi_bench_" + name + "_" + run;
    String body =
        StripeWebhooks.intentEvent(
            "evt_bench_" + name + "_" + run,
            "payment_intent.amount_capturable_updated",
            intent,
            200001L);
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/json")
            .header(
                "Stripe-Signature",
                StripeWebhooks.signedNow(LocalStack.STRIPE_WEBHOOK_SECRETS.get(0), body))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    sentAt.put(intent, System.currentTimeMillis());
    long start = System.nanoTime();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    long micros = (System.nanoTime() - start) / 1000;
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "webhook answered " + response.statusCode() + ": " + response.body());
    }
    return micros;
  }

  private static void awaitCaptured(Sql sql, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (sql.count(
              "SELECT count(*) FROM jobs WHERE type = 'payment_event'"
                  + " AND status IN ('PENDING', 'PROCESSING')")
          == 0) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("payment jobs still unfinished after " + timeout);
  }

  /** Microseconds from each event's POST to its payment's captured_at. */
  private static List<Long> capturedAfter(Sql sql, Map<String, Long> sentAt) {
    List<Long> micros = new ArrayList<>();
    for (Map<String, Object> row :
        sql.rows(
            "SELECT payment_intent_id, captured_at FROM payments"
                + " WHERE payment_intent_id = ANY (?::text[])",
            (Object) sentAt.keySet().toArray(String[]::new))) {
      Timestamp captured = (Timestamp) row.get("captured_at");
      if (captured == null) {
        throw new IllegalStateException(row.get("payment_intent_id") + " was not captured");
      }
      micros.add((captured.getTime() - sentAt.get((String) row.get("payment_intent_id"))) * 1000);
    }
    if (micros.size() != sentAt.size()) {
      throw new IllegalStateException(
          micros.size() + " of " + sentAt.size() + " payments recorded");
    }
    return micros;
  }

  private static void seedTenants(Sql sql) {
    sql.update(
        "INSERT INTO tenants (id, name, plan, vehicle_limit)"
            + " SELECT ? + n, 'Bench tenant ' || n, 'basic', 10 FROM generate_series(0, ? - 1) n"
            + " ON CONFLICT DO NOTHING",
        FIRST_TENANT,
        QUEUED_INTERNAL);
    sql.update(
        "INSERT INTO companies (id, tenant_id, name, email)"
            + " SELECT (? + n) * 10, ? + n, 'Bench company ' || n, 'b' || n || '@bench.example'"
            + " FROM generate_series(0, ? - 1) n ON CONFLICT DO NOTHING",
        FIRST_TENANT,
        FIRST_TENANT,
        QUEUED_INTERNAL);
  }
}
