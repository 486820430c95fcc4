package com.marketplace.jobs.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.marketplace.jobs.devstack.DemoData;
import com.marketplace.jobs.devstack.LocalStack;
import com.marketplace.jobs.devstack.Ports;
import com.marketplace.jobs.system.JsonHttp;
import com.marketplace.jobs.system.Sql;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The re-index figures of issue 4: 100,000 vehicles re-indexed by a worker whose heap is capped
 * ({@code -Xmx256m}, set by {@link Benchmarks} for this mode): seconds from the 202 to COMPLETED,
 * documents per second, and the worker's heap, sampled from its Actuator every 100 ms.
 */
final class ReindexBenchmark {

  static final List<String> WORKER_JVM_OPTIONS = List.of("-Xmx256m");
  private static final long FLEET = 900;
  private static final int FLEET_SIZE = 100_000;
  private static final double MB = 1024 * 1024;

  private ReindexBenchmark() {}

  static void run(LocalStack stack) throws Exception {
    JsonHttp api = JsonHttp.api(stack);
    JsonHttp worker = new JsonHttp(stack.worker().url());
    Sql sql = new Sql(stack.database().dataSource());

    System.out.println("Re-index: warming up on the demo data (vehicles, companies)...");
    for (String scope : List.of("vehicles", "companies")) {
      awaitCompleted(api, accept(api, scope), Duration.ofMinutes(2));
    }
    long seeding = System.nanoTime();
    DemoData.seedFleet(stack.database().dataSource(), FLEET, FLEET_SIZE);
    long vehicles = sql.count("SELECT count(*) FROM vehicles");
    long published = sql.count("SELECT count(*) FROM vehicles WHERE published");
    System.out.printf(
        "Seeded %,d vehicles (%,d in the table, %,d published) in %.1f s.%n",
        FLEET_SIZE, vehicles, published, (System.nanoTime() - seeding) / 1e9);
    double heapMax = metric(worker, "jvm.memory.max", "area:heap");

    HeapSampler sampler = new HeapSampler(worker);
    Thread sampling = new Thread(sampler, "heap-sampler");
    sampling.setDaemon(true);
    sampling.start();
    String jobId = accept(api, "vehicles");
    long accepted = System.nanoTime();
    JsonNode done = awaitCompleted(api, jobId, Duration.ofMinutes(10));
    double seconds = (System.nanoTime() - accepted) / 1e9;
    sampler.stop();
    sampling.join();

    long completed = done.path("progress").path("completed").asLong();
    JsonHttp search = new JsonHttp(stack.search().url());
    search.post("/vehicles/_refresh", "");
    long indexed = search.get("/vehicles/_count").json().path("count").asLong();
    Map<String, Object> batches =
        sql.rows(
                """
                SELECT count(*) AS batches, count(DISTINCT first_id) AS distinct_batches,
                       round(avg(took_ms), 1) AS avg_ms,
                       percentile_disc(0.95) WITHIN GROUP (ORDER BY took_ms) AS p95_ms
                  FROM search_reindex_batches WHERE job_id = ?::uuid
                """,
                jobId)
            .get(0);
    double liveAfterGc = metric(worker, "jvm.gc.live.data.size", null);

    System.out.printf("%nRe-index of %,d vehicles (job %s):%n", completed, jobId);
    System.out.printf("  202 -> COMPLETED:        %.1f s%n", seconds);
    System.out.printf("  documents per second:    %,.0f%n", completed / seconds);
    System.out.printf(
        "  worker heap:             peak used %.0f MB of a %.0f MB cap (-Xmx256m), sampled every"
            + " 100 ms (%d samples)%s%n",
        sampler.peak() / MB,
        heapMax / MB,
        sampler.samples(),
        liveAfterGc > 0
            ? ", live after the last old-generation GC %.0f MB".formatted(liveAfterGc / MB)
            : "");
    System.out.printf(
        "  batches:                 %s of 100 (%s distinct), avg %s ms, p95 %s ms each%n",
        batches.get("batches"),
        batches.get("distinct_batches"),
        batches.get("avg_ms"),
        batches.get("p95_ms"));
    System.out.printf(
        "  index:                   %,d documents for %,d published vehicles: %s%n",
        indexed, published, indexed == published ? "equal" : "DIFFERENT");
    System.out.printf(
        "  target (issue 4):        under 60 s with a 256 MB heap: %s%n",
        seconds < 60 && heapMax <= 256 * 1024 * 1024 ? "met" : "NOT met");
  }

  private static String accept(JsonHttp api, String scope) {
    JsonHttp.Response response =
        api.post("/api/search/reindex", "{\"scope\": \"%s\"}".formatted(scope));
    if (response.status() != 202) {
      throw new IllegalStateException("re-index refused: " + response.status() + response.body());
    }
    return response.json().path("jobId").asText();
  }

  private static JsonNode awaitCompleted(JsonHttp api, String jobId, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode job = api.get("/api/jobs/" + jobId).json();
      String status = job.path("status").asText();
      if ("COMPLETED".equals(status)) {
        return job;
      }
      if ("FAILED".equals(status)) {
        throw new IllegalStateException("re-index failed: " + job);
      }
      Ports.sleep(Duration.ofMillis(100));
    }
    throw new IllegalStateException("re-index " + jobId + " not done within " + timeout);
  }

  /** A value of one of the worker's Actuator metrics, optionally narrowed by a tag. */
  static double metric(JsonHttp worker, String name, String tag) {
    String path = "/actuator/metrics/" + name + (tag == null ? "" : "?tag=" + tag);
    JsonHttp.Response response = worker.get(path);
    if (response.status() != 200) {
      return Double.NaN;
    }
    return response.json().path("measurements").get(0).path("value").asDouble();
  }

  /** Samples the worker's used heap until stopped, keeping the highest value. */
  private static final class HeapSampler implements Runnable {

    private final JsonHttp worker;
    private final AtomicLong peak = new AtomicLong();
    private volatile boolean running = true;
    private volatile int samples;

    HeapSampler(JsonHttp worker) {
      this.worker = worker;
    }

    @Override
    public void run() {
      while (running) {
        double used = metric(worker, "jvm.memory.used", "area:heap");
        if (!Double.isNaN(used)) {
          peak.accumulateAndGet((long) used, Math::max);
          samples++;
        }
        Ports.sleep(Duration.ofMillis(100));
      }
    }

    void stop() {
      running = false;
    }

    long peak() {
      return peak.get();
    }

    int samples() {
      return samples;
    }
  }
}
