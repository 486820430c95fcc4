package com.marketplace.jobs.benchmarks;

import com.marketplace.jobs.devstack.LocalStack;
import com.marketplace.jobs.ledger.JobStatusCounts;
import com.marketplace.jobs.security.tokens.TriggerToken;
import com.marketplace.jobs.system.Sql;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The /ops page and its stats query with {@link #JOBS} jobs in the ledger: rows seeded with one
 * set-based INSERT (accepted over the last 90 days, the retention's span; 90 % completed, 4 %
 * failed, 2 % cancelled, 2 % processing, 2 % pending, eleven job types), measured without and with
 * V20's index {@link #INDEX}, each after {@code VACUUM ANALYZE} as autovacuum would do after such a
 * load. Timed from the client: {@code GET /api/jobs/stats?period=} (the query behind the page,
 * through the api) and the whole page {@code GET /ops?period=} of a viewer signed in through the
 * login form with its CSRF token, {@link #LOADS} times per period after {@link #WARM_UP} warm-up
 * loads.
 */
final class OpsBenchmark {

  static final int JOBS = 1_000_000;
  static final int LOADS = 50;
  static final int WARM_UP = 5;
  static final List<String> PERIODS = List.of("1h", "24h", "7d", "30d", "all");

  /** StatsPeriod's lengths. */
  private static final Map<String, Double> SECONDS =
      Map.of("1h", 3600.0, "24h", 86400.0, "7d", 604800.0, "30d", 2592000.0);

  /** Seeded rows look started, so neither the relay nor the reconciler touches them. */
  static final Map<String, String> WORKER_ENVIRONMENT =
      Map.of("JOBS_LEDGER_RECONCILE_ENABLED", "false");

  /** V20's index for the counts; measured without it too. */
  static final String INDEX = "jobs_created_type_status";

  private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"\\s+value=\"([^\"]+)\"");

  private OpsBenchmark() {}

  static void run(LocalStack stack) throws Exception {
    Sql sql = new Sql(stack.database().dataSource());
    System.out.printf("Seeding %,d ledger rows...%n", JOBS);
    long seedStart = System.nanoTime();
    sql.update(
        """
        INSERT INTO jobs (id, type, status, priority, workflow_id, workflow_type, task_queue,
                          payload, content_hash, created_at, workflow_started_at, started_at,
                          finished_at, attempts, resolution, last_error_type)
        SELECT id, t.type, s.status, 2, t.type || '-' || id, 'Bench', 'background-jobs',
               '{}'::jsonb, id::text, created, created, created + interval '1 s',
               CASE WHEN s.status IN ('COMPLETED', 'FAILED', 'CANCELLED')
                    THEN created + interval '3 s' END,
               1,
               CASE WHEN s.status = 'FAILED' THEN 'UNRESOLVED' END,
               CASE WHEN s.status = 'FAILED' THEN 'BENCH' END
          FROM (SELECT gen_random_uuid() AS id, n,
                       now() - random() * interval '90 days' AS created
                  FROM generate_series(1, ?) n) g
          CROSS JOIN LATERAL (
                SELECT (ARRAY['notification', 'company_notice', 'company_ban', 'company_unban',
                              'marketplace_toggle', 'payment_event', 'search_reindex',
                              'marketplace_event', 'vehicle_reminders', 'birthday_reminders',
                              'schedule_runs_retention'])[1 + g.n % 11] AS type) t
          CROSS JOIN LATERAL (
                SELECT CASE WHEN g.n % 50 < 45 THEN 'COMPLETED'
                            WHEN g.n % 50 < 47 THEN 'FAILED'
                            WHEN g.n % 50 = 47 THEN 'CANCELLED'
                            WHEN g.n % 50 = 48 THEN 'PROCESSING'
                            ELSE 'PENDING' END AS status) s
        """,
        JOBS);
    System.out.printf(
        "  seeded in %.1f s; ledger rows: %,d%n",
        (System.nanoTime() - seedStart) / 1e9, sql.count("SELECT count(*) FROM jobs"));

    System.out.printf("%n== Without the index %s (as before V20) ==%n", INDEX);
    sql.update("DROP INDEX IF EXISTS " + INDEX);
    sql.update("VACUUM ANALYZE jobs");
    measure(stack);
    System.out.printf("%n== With the index %s ==%n", INDEX);
    sql.update("CREATE INDEX " + INDEX + " ON jobs (created_at, type, status)");
    sql.update("VACUUM ANALYZE jobs");
    measure(stack);
  }

  private static void measure(LocalStack stack) throws Exception {
    System.out.printf("The stats query alone (JobQueries.stats' SQL over JDBC):%n");
    try (Connection connection = stack.database().dataSource().getConnection()) {
      for (String period : PERIODS) {
        String query =
            period.equals("all")
                ? JobStatusCounts.ALL_SQL
                : "SELECT type, status, count(*) AS n FROM jobs"
                    + " WHERE created_at > now() - make_interval(secs => ?) GROUP BY type, status";
        List<Long> micros = new ArrayList<>();
        for (int i = 0; i < WARM_UP + LOADS; i++) {
          long start = System.nanoTime();
          try (PreparedStatement statement = connection.prepareStatement(query)) {
            if (!period.equals("all")) {
              statement.setDouble(1, SECONDS.get(period));
            }
            try (ResultSet rows = statement.executeQuery()) {
              while (rows.next()) {
                rows.getLong("n");
              }
            }
          }
          if (i >= WARM_UP) {
            micros.add((System.nanoTime() - start) / 1000);
          }
        }
        System.out.printf("  %-4s %s%n", period, Percentiles.ofMicros(micros));
      }
    }
    HttpClient client =
        HttpClient.newBuilder()
            .cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    String base = stack.api().url();
    String token =
        "Bearer "
            + TriggerToken.of(TriggerToken.READ, Duration.ofHours(1))
                .signedWith(LocalStack.TOKEN_KEYS.get(0));

    System.out.printf("%nGET /api/jobs/stats?period= (the stats query through the api):%n");
    for (String period : PERIODS) {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(base + "/api/jobs/stats?period=" + period))
              .header("Authorization", token)
              .build();
      System.out.printf("  %-4s %s%n", period, timed(client, request));
    }

    signIn(client, base);
    System.out.printf("%nGET /ops?period= (the whole page, signed in as the viewer):%n");
    for (String period : PERIODS) {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(base + "/ops?period=" + period)).build();
      System.out.printf("  %-4s %s%n", period, timed(client, request));
    }
  }

  private static Percentiles timed(HttpClient client, HttpRequest request) throws Exception {
    List<Long> micros = new ArrayList<>();
    for (int i = 0; i < WARM_UP + LOADS; i++) {
      long start = System.nanoTime();
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      long took = (System.nanoTime() - start) / 1000;
      if (response.statusCode() != 200) {
        throw new IllegalStateException(request.uri() + " answered " + response.statusCode());
      }
      if (i >= WARM_UP) {
        micros.add(took);
      }
    }
    return Percentiles.ofMicros(micros);
  }

  /** The login form as a browser fills it: its CSRF token, then a POST with the session cookie. */
  private static void signIn(HttpClient client, String base) throws Exception {
    String form =
        client
            .send(
                HttpRequest.newBuilder(URI.create(base + "/ops/login")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    Matcher csrf = CSRF.matcher(form);
    if (!csrf.find()) {
      throw new IllegalStateException("the login form has no CSRF token");
    }
    String body =
        "username="
            + encode(LocalStack.OPS_VIEWER)
            + "&password="
            + encode(LocalStack.OPS_VIEWER_PASSWORD)
            + "&_csrf="
            + encode(csrf.group(1));
    HttpResponse<String> login =
        client.send(
            HttpRequest.newBuilder(URI.create(base + "/ops/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    String location = login.headers().firstValue("Location").orElse("");
    if (login.statusCode() != 302 || location.contains("error")) {
      throw new IllegalStateException("login refused: " + login.statusCode() + " " + location);
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
