package com.marketplace.jobs.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.marketplace.jobs.benchmarks.bare.BareInsertApplication;
import com.marketplace.jobs.benchmarks.bare.BareWorkflows;
import com.marketplace.jobs.devstack.AppProcess;
import com.marketplace.jobs.devstack.LocalStack;
import com.marketplace.jobs.devstack.Ports;
import com.marketplace.jobs.security.tokens.TriggerToken;
import com.marketplace.jobs.system.SharedStack;
import com.marketplace.jobs.system.Sql;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.function.Function;

/**
 * Prints the figures of the foundation issue on a stack of its own (free ports, in-memory
 * Temporal): the trigger's latency in a burst of 500 new connections, with Temporal up and down,
 * beside a bare insert-one-row endpoint; and the notification drain rate beside bare one-activity
 * workflows on the same server; the 10,000-row ban beside one SQL transaction ({@link
 * BanBenchmark}); and the re-index of 100,000 vehicles by a worker with a 256 MB heap. Run with
 * {@code bin/bench [burst|drain|ban|webhooks|all|reindex|birthdays|schedules|ops|alerts|calendar]};
 * {@code reindex} runs alone, on a stack whose worker has {@code -Xmx256m}; {@code birthdays} (a
 * run over 100,000 customers, {@link BirthdayBenchmark}) runs alone too, and so do {@code
 * schedules} ({@link ScheduleBenchmark}), on a stack whose worker keeps a schedule firing every 2
 * s, {@code ops} (the /ops page and its stats query over 1,000,000 ledger rows, {@link
 * OpsBenchmark}) and {@code alerts} ({@link AlertBenchmark}), on a stack whose schedules run, and
 * {@code calendar} (100 Google Calendars of 1,000 events, {@link CalendarSyncBenchmark}).
 */
public final class Benchmarks {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int BURST = 500;
  private static final int DRAIN = 2000;
  private static final int WARM_UP = 400;
  private static final String ACCESS_LOG_PATTERN = "%t \"%r\" %s %D";

  private Benchmarks() {}

  public static void main(String[] args) throws Exception {
    String which = args.length > 0 ? args[0] : "all";
    Path root = SharedStack.projectRoot();
    Path data =
        root.resolve("benchmarks/target")
            .resolve(
                "bench-"
                    + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    Path accessLogs = data.resolve("access-logs");
    LocalStack.Settings settings =
        LocalStack.Settings.ephemeral(root, data)
            // The same Temporal configuration as bin/run: state in a SQLite file (WAL mode).
            .withPersistentTemporal()
            .withApiEnvironment(
                Map.of(
                    "API_ACCESS_LOG", "true",
                    "SERVER_TOMCAT_ACCESSLOG_DIRECTORY", accessLogs.toString(),
                    "SERVER_TOMCAT_ACCESSLOG_PREFIX", "api",
                    "SERVER_TOMCAT_ACCESSLOG_BUFFERED", "false"));
    if (which.equals("reindex")) {
      settings = settings.withWorkerJvmOptions(ReindexBenchmark.WORKER_JVM_OPTIONS);
    }
    if (which.equals("schedules")) {
      settings = settings.withWorkerEnvironment(ScheduleBenchmark.WORKER_ENVIRONMENT);
    }
    if (which.equals("ops")) {
      settings = settings.withWorkerEnvironment(OpsBenchmark.WORKER_ENVIRONMENT);
    }
    if (which.equals("alerts")) {
      settings = settings.withWorkerEnvironment(AlertBenchmark.WORKER_ENVIRONMENT);
    }
    // For profiling, e.g. BENCH_WORKER_JVM_OPTIONS="-XX:StartFlightRecording=filename=w.jfr".
    String extra = System.getenv("BENCH_WORKER_JVM_OPTIONS");
    if (extra != null && !extra.isBlank()) {
      List<String> options = new ArrayList<>(settings.workerJvmOptions());
      options.addAll(List.of(extra.strip().split("\\s+")));
      settings = settings.withWorkerJvmOptions(options);
    }
    System.out.printf("Starting a stack of its own under %s ...%n", data);
    try (LocalStack stack = new LocalStack(settings).start()) {
      System.out.printf(
          "Machine: %d cores, Java %s; stack up.%n%n",
          Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
      if (which.equals("burst") || which.equals("all")) {
        burst(stack, root, data, accessLogs);
      }
      if (which.equals("drain") || which.equals("all") || which.equals("ours")) {
        drain(stack, !which.equals("ours"));
      }
      if (which.equals("ban") || which.equals("all")) {
        BanBenchmark.run(stack);
      }
      if (which.equals("webhooks") || which.equals("all")) {
        WebhookBenchmark.run(stack);
      }
      if (which.equals("reindex")) {
        ReindexBenchmark.run(stack);
      }
      if (which.equals("ops")) {
        OpsBenchmark.run(stack);
      }
      if (which.equals("birthdays")) {
        BirthdayBenchmark.run(stack);
      } else if (which.equals("schedules")) {
        ScheduleBenchmark.run(stack);
      } else if (which.equals("alerts")) {
        AlertBenchmark.run(stack);
      } else if (which.equals("calendar")) {
        CalendarSyncBenchmark.run(stack);
      }
      if (which.equals("bare")) {
        System.out.printf(
            "bare: ordinary %.1f/s, local %.1f/s, local+eager %.1f/s%n",
            bareDrain(stack, false, false, DRAIN),
            bareDrain(stack, true, false, DRAIN),
            bareDrain(stack, true, true, DRAIN));
      }
    }
  }

  // ---------------------------------------------------------------- burst

  private static void burst(LocalStack stack, Path root, Path data, Path accessLogs)
      throws Exception {
    int barePort = Ports.free();
    try (AppProcess bare =
        new AppProcess(
                "bare-insert",
                AppProcess.executableJar(root, "benchmarks"),
                barePort,
                Map.of(
                    "SERVER_PORT", Integer.toString(barePort),
                    "SPRING_DATASOURCE_URL", stack.database().jdbcUrl(),
                    "SPRING_DATASOURCE_USERNAME", "postgres",
                    "SPRING_DATASOURCE_HIKARI_MAXIMUM_POOL_SIZE", "40",
                    "SERVER_TOMCAT_ACCEPT_COUNT", "2000",
                    "SERVER_TOMCAT_ACCESSLOG_ENABLED", "true",
                    "SERVER_TOMCAT_ACCESSLOG_DIRECTORY", accessLogs.toString(),
                    "SERVER_TOMCAT_ACCESSLOG_PREFIX", "bare",
                    "SERVER_TOMCAT_ACCESSLOG_BUFFERED", "false",
                    "MANAGEMENT_ENDPOINT_HEALTH_PROBES_ENABLED", "true"),
                List.of("-Xmx512m", "-Dloader.main=" + BareInsertApplication.class.getName()),
                data.resolve("logs/bare.log"))
            .start()
            .awaitHealthy(Duration.ofMinutes(2))) {
      int apiPort = stack.api().port();
      Function<Integer, String> notification =
          i ->
              "{\"customerId\": %d, \"template\": \"welcome\", \"params\": {\"run\": \"%s\"}}"
                  .formatted(1 + i % 8, UUID.randomUUID());
      // Warm: the JIT has compiled the paths and the pools are full, as on a stack that has been
      // serving for a while.
      System.out.printf("Warming up (2 bursts of %d at each endpoint)...%n", BURST);
      for (int round = 0; round < 2; round++) {
        Burst.fire(barePort, "/bare", BURST, notification::apply);
        Burst.fire(apiPort, "/api/notifications", BURST, notification::apply, Benchmarks::signed);
        awaitAllFinished(stack, Duration.ofMinutes(5));
      }
      awaitAllFinished(stack, Duration.ofMinutes(5));
      Ports.sleep(Duration.ofSeconds(2));

      System.out.printf("%nBurst of %d simultaneous POSTs, each on a new connection:%n", BURST);
      report(
          "bare insert endpoint",
          accessLogs,
          "bare",
          "/bare",
          () -> Burst.fire(barePort, "/bare", BURST, notification::apply),
          null);
      List<String> jobIds = apiBurst(accessLogs, apiPort, notification);
      long drainStart = System.nanoTime();
      awaitAllFinished(stack, Duration.ofMinutes(10));
      System.out.printf(
          "  all %d jobs COMPLETED: %s (%.1f s after the burst)%n",
          jobIds.size(), allCompleted(stack, jobIds), (System.nanoTime() - drainStart) / 1e9);
      tokenCheckCost(stack, accessLogs, apiPort, notification);

      System.out.println(
          "\nThe same bursts while the worker drains the 500 jobs of a burst just before (as on"
              + " a busy bin/run stack):");
      for (int round = 1; round <= 2; round++) {
        Burst.fire(apiPort, "/api/notifications", BURST, notification::apply, Benchmarks::signed);
        report(
            "bare insert endpoint",
            accessLogs,
            "bare",
            "/bare",
            () -> Burst.fire(barePort, "/bare", BURST, notification::apply),
            null);
        Burst.fire(apiPort, "/api/notifications", BURST, notification::apply, Benchmarks::signed);
        apiBurst(accessLogs, apiPort, notification);
        awaitAllFinished(stack, Duration.ofMinutes(10));
      }

      System.out.println("\nThe same burst with the Temporal server stopped:");
      stack.temporal().stop();
      List<String> outageJobs;
      try {
        outageJobs = apiBurst(accessLogs, apiPort, notification);
      } finally {
        stack.temporal().start();
      }
      long recoveryStart = System.nanoTime();
      awaitAllFinished(stack, Duration.ofMinutes(10));
      System.out.printf(
          "  Temporal restarted; all %d jobs COMPLETED: %s (%.1f s after the restart)%n",
          outageJobs.size(),
          allCompleted(stack, outageJobs),
          (System.nanoTime() - recoveryStart) / 1e9);
    }
  }

  /** A trigger token for one burst request's body, signed before the burst as a caller would. */
  private static String signed(String body) {
    return "Bearer "
        + TriggerToken.of(TriggerToken.WRITE, Duration.ofMinutes(10))
            .withBody(body)
            .signedWith(LocalStack.TOKEN_KEYS.get(0));
  }

  /**
   * The token check's cost: the same burst at the stack's api (tokens checked) and at a second api
   * process of the same stack that checks none (the dev profile's switch), in alternating rounds,
   * each after the jobs of the one before finished, so both meet the same conditions.
   */
  private static void tokenCheckCost(
      LocalStack stack, Path accessLogs, int apiPort, Function<Integer, String> notification)
      throws Exception {
    try (AppProcess unchecked =
        stack
            .extraApi(
                "api-no-token-check",
                Map.of(
                    "SPRING_PROFILES_ACTIVE", "dev",
                    "JOBS_TRIGGER_AUTH", "false",
                    "SERVER_TOMCAT_ACCESSLOG_PREFIX", "unchecked"))
            .start()
            .awaitHealthy(Duration.ofMinutes(2))) {
      int port = unchecked.port();
      for (int round = 0; round < 2; round++) {
        Burst.fire(port, "/api/notifications", BURST, notification::apply);
        awaitAllFinished(stack, Duration.ofMinutes(5));
      }
      System.out.println(
          "\nThe token check's cost: the same burst at the api checking tokens and at a second api"
              + " process checking none (dev profile), alternating, idle worker:");
      for (int round = 1; round <= 3; round++) {
        Ports.sleep(Duration.ofSeconds(2));
        apiBurst(accessLogs, apiPort, notification);
        awaitAllFinished(stack, Duration.ofMinutes(10));
        Ports.sleep(Duration.ofSeconds(2));
        report(
            "same, no token check (dev)",
            accessLogs,
            "unchecked",
            "/api/notifications",
            () -> Burst.fire(port, "/api/notifications", BURST, notification::apply),
            null);
        awaitAllFinished(stack, Duration.ofMinutes(10));
      }
      // Without a burst's queue the difference is the check's own cost per request.
      System.out.println(
          "\nOne request at a time, alternating between the two apis (1,000 each), server time:");
      int checkedBefore = accessLogLines(accessLogs, "api", "/api/notifications").size();
      int uncheckedBefore = accessLogLines(accessLogs, "unchecked", "/api/notifications").size();
      for (int i = 0; i < 1_000; i++) {
        Burst.fire(apiPort, "/api/notifications", 1, notification::apply, Benchmarks::signed);
        Burst.fire(port, "/api/notifications", 1, notification::apply);
      }
      Ports.sleep(Duration.ofSeconds(2));
      List<Long> checked = accessLogLines(accessLogs, "api", "/api/notifications");
      List<Long> plain = accessLogLines(accessLogs, "unchecked", "/api/notifications");
      System.out.printf(
          "  %-26s server: %s%n",
          "token checked", Percentiles.ofMicros(checked.subList(checkedBefore, checked.size())));
      System.out.printf(
          "  %-26s server: %s%n",
          "no token check (dev)",
          Percentiles.ofMicros(plain.subList(uncheckedBefore, plain.size())));
      awaitAllFinished(stack, Duration.ofMinutes(10));
    }
  }

  /** One burst at the api's trigger, reported; returns the ids of the jobs it accepted. */
  private static List<String> apiBurst(
      Path accessLogs, int apiPort, Function<Integer, String> notification) throws Exception {
    List<String> jobIds = new ArrayList<>();
    report(
        "POST /api/notifications (token)",
        accessLogs,
        "api",
        "/api/notifications",
        () ->
            Burst.fire(
                apiPort, "/api/notifications", BURST, notification::apply, Benchmarks::signed),
        jobIds);
    return jobIds;
  }

  interface Fire {
    List<Burst.Result> run() throws Exception;
  }

  private static void report(
      String label, Path accessLogs, String prefix, String path, Fire fire, List<String> jobIds)
      throws Exception {
    int before = accessLogLines(accessLogs, prefix, path).size();
    List<Burst.Result> results = fire.run();
    Ports.sleep(Duration.ofSeconds(2));
    List<Long> server = accessLogLines(accessLogs, prefix, path);
    server = server.subList(before, server.size());
    List<Long> client = results.stream().map(Burst.Result::micros).toList();
    long errors = results.stream().filter(r -> r.status() != 202).count();
    System.out.printf("  %-26s server: %s%n", label, Percentiles.ofMicros(server));
    System.out.printf("  %-26s client: %s  errors: %d%n", "", Percentiles.ofMicros(client), errors);
    if (jobIds != null) {
      for (Burst.Result result : results) {
        if (result.status() == 202) {
          // The body arrives chunk-encoded; the JSON object is between the outer braces.
          String body = result.body();
          String json = body.substring(body.indexOf('{'), body.lastIndexOf('}') + 1);
          jobIds.add(JSON.readTree(json).path("jobId").asText());
        }
      }
    }
  }

  /** The %D (microseconds) of every logged request to {@code path}, in log order. */
  private static List<Long> accessLogLines(Path dir, String prefix, String path)
      throws IOException {
    List<Long> micros = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return micros;
    }
    try (var files = Files.list(dir)) {
      for (Path file :
          files.filter(f -> f.getFileName().toString().startsWith(prefix)).sorted().toList()) {
        for (String line : Files.readAllLines(file)) {
          if (line.contains("\"POST " + path + " ")) {
            String[] parts = line.trim().split(" ");
            micros.add(Long.parseLong(parts[parts.length - 1]));
          }
        }
      }
    }
    return micros;
  }

  private static void awaitAllFinished(LocalStack stack, Duration timeout) {
    Sql sql = new Sql(stack.database().dataSource());
    long deadline = System.nanoTime() + timeout.toNanos();
    long lastReport = System.nanoTime();
    while (sql.count("SELECT count(*) FROM jobs WHERE status IN ('PENDING', 'PROCESSING')") > 0) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("jobs still unfinished after " + timeout);
      }
      if (System.nanoTime() - lastReport > 5_000_000_000L) {
        lastReport = System.nanoTime();
        System.out.println(
            "    waiting: "
                + sql.rows(
                    """
                    SELECT count(*) FILTER (WHERE workflow_started_at IS NULL) AS not_started,
                           count(*) FILTER (WHERE status = 'PENDING'
                                              AND workflow_started_at IS NOT NULL) AS started,
                           count(*) FILTER (WHERE status = 'PROCESSING') AS processing
                      FROM jobs WHERE status IN ('PENDING', 'PROCESSING')
                    """));
      }
      Ports.sleep(Duration.ofMillis(200));
    }
  }

  private static boolean allCompleted(LocalStack stack, List<String> jobIds) {
    Sql sql = new Sql(stack.database().dataSource());
    long completed =
        sql.count(
            "SELECT count(*) FROM jobs WHERE status = 'COMPLETED' AND id = ANY (?::uuid[])",
            (Object) jobIds.toArray(String[]::new));
    return completed == jobIds.size();
  }

  // ---------------------------------------------------------------- drain

  /**
   * Ours two ways, then the bare yardsticks. The figure is the drain of a backlog: 2,000
   * accepted jobs, started and run, as the bare workflows are started and run. The end-to-end
   * figure also pays for accepting each job over HTTP while the others drain.
   */
  private static void drain(LocalStack stack, boolean withBare) throws Exception {
    System.out.printf(
        "%nDrain on the same Temporal dev server (after a warm-up of %d each):%n", WARM_UP);
    oursDrain(stack, WARM_UP);
    for (int i = 0; withBare && i < 3; i++) {
      bareDrain(stack, i > 0, i > 1, WARM_UP);
    }
    Path postgresData = stack.settings().dataDir().resolve("postgres");
    CpuMeter cpu = CpuMeter.start(postgresData);
    double polledBefore = workerMetric(stack, WORKFLOW_TASKS_POLLED);
    double endToEndRate = oursDrain(stack, DRAIN);
    System.out.printf(
        "  notification jobs, end to end (POSTed 32 at a time while the others run): %.1f jobs/s%n",
        endToEndRate);
    printCpu(cpu, "job");
    printPolled(workerMetric(stack, WORKFLOW_TASKS_POLLED) - polledBefore);

    double backlogRate = oursBacklogDrain(stack, DRAIN, postgresData);
    if (!withBare) {
      return;
    }
    cpu = CpuMeter.start(postgresData);
    double bareRate = bareDrain(stack, false, false, DRAIN);
    printCpu(cpu, "bare workflow");
    double bareLocalRate = bareDrain(stack, true, false, DRAIN);
    double bareEagerRate = bareDrain(stack, true, true, DRAIN);
    System.out.printf(
        "  bare workflows, one ordinary activity (plain SDK):                  %.1f workflows/s%n",
        bareRate);
    System.out.printf(
        "  bare workflows, one local activity (plain SDK):                     %.1f workflows/s%n",
        bareLocalRate);
    System.out.printf(
        "  bare workflows, one local activity, eager start (plain SDK):        %.1f workflows/s%n",
        bareEagerRate);
    System.out.printf(
        "  ratio ours / bare one-activity: backlog drain %.2f (target >= 2), end to end %.2f%n",
        backlogRate / bareRate, endToEndRate / bareRate);
  }

  private static final String WORKFLOW_TASKS_POLLED =
      "temporal_workflow_task_queue_poll_succeed_total";

  private static void printPolled(double polled) {
    System.out.printf(
        "      workflow tasks the worker polled from the server's queue: %.0f (the rest came"
            + " eagerly, in the start response)%n",
        polled);
  }

  private static void printCpu(CpuMeter cpu, String unit) {
    cpu.millisPer(DRAIN)
        .forEach(
            (kind, millis) ->
                System.out.printf(
                    "      CPU per %s, %-" + (49 - unit.length()) + "s %5.1f ms%n",
                    unit,
                    kind,
                    millis));
  }

  /**
   * {@code count} notifications accepted while the Temporal server is stopped (the relays hold
   * them), then drained once it is back: jobs/s from the first workflow start to the last finish,
   * read from the ledger, so the server's restart and the relays' pause do not count.
   */
  private static double oursBacklogDrain(LocalStack stack, int count, Path postgresData)
      throws Exception {
    stack.temporal().stop();
    String runTag;
    try {
      runTag = postNotifications(stack, count);
    } finally {
      stack.temporal().start();
    }
    CpuMeter cpu = CpuMeter.start(postgresData);
    double polledBefore = workerMetric(stack, WORKFLOW_TASKS_POLLED);
    awaitAllFinished(stack, Duration.ofMinutes(15));
    double polled = workerMetric(stack, WORKFLOW_TASKS_POLLED) - polledBefore;
    Sql sql = new Sql(stack.database().dataSource());
    List<Map<String, Object>> window =
        sql.rows(
            """
            SELECT count(*) FILTER (WHERE status = 'COMPLETED') AS completed,
                   extract(epoch FROM max(finished_at) - min(workflow_started_at)) AS seconds
              FROM jobs WHERE payload->'params'->>'drain' LIKE ?
            """,
            runTag + "-%");
    long completed = ((Number) window.get(0).get("completed")).longValue();
    double seconds = ((Number) window.get(0).get("seconds")).doubleValue();
    if (completed != count) {
      throw new IllegalStateException("backlog drain lost jobs: " + completed + " of " + count);
    }
    double rate = completed / seconds;
    System.out.printf(
        "  notification jobs, backlog of %d accepted while Temporal was stopped, drained after"
            + " its restart: %.1f jobs/s (first start to last finish)%n",
        count, rate);
    printCpu(cpu, "job");
    printPolled(polled);
    return rate;
  }

  /** Posts {@code count} notifications (32 in flight) and returns jobs/s until all COMPLETED. */
  private static double oursDrain(LocalStack stack, int count) throws Exception {
    long start = System.nanoTime();
    String runTag = postNotifications(stack, count);
    awaitAllFinished(stack, Duration.ofMinutes(15));
    double seconds = (System.nanoTime() - start) / 1e9;
    long completed =
        new Sql(stack.database().dataSource())
            .count(
                "SELECT count(*) FROM jobs WHERE status = 'COMPLETED'"
                    + " AND payload->'params'->>'drain' LIKE ?",
                runTag + "-%");
    if (completed != count) {
      throw new IllegalStateException("drain lost jobs: " + completed + " of " + count);
    }
    return completed / seconds;
  }

  /**
   * POSTs {@code count} distinct notifications, 32 in flight; returns the tag in their params.
   * Throws unless every one got its 202.
   */
  private static String postNotifications(LocalStack stack, int count) throws Exception {
    HttpClient http = HttpClient.newBuilder().build();
    String runTag = UUID.randomUUID().toString();
    Semaphore inFlight = new Semaphore(32);
    List<CompletableFuture<HttpResponse<String>>> posts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      inFlight.acquire();
      String body =
          "{\"customerId\": %d, \"template\": \"welcome\", \"params\": {\"drain\": \"%s-%d\"}}"
              .formatted(1 + i % 8, runTag, i);
      posts.add(
          http.sendAsync(
                  HttpRequest.newBuilder(URI.create(stack.api().url() + "/api/notifications"))
                      .header("Content-Type", "application/json")
                      .header("Authorization", signed(body))
                      .POST(HttpRequest.BodyPublishers.ofString(body))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .whenComplete((response, error) -> inFlight.release()));
    }
    CompletableFuture.allOf(posts.toArray(CompletableFuture[]::new)).join();
    long accepted = posts.stream().filter(p -> p.join().statusCode() == 202).count();
    if (accepted != count) {
      throw new IllegalStateException(accepted + " of " + count + " notifications accepted");
    }
    return runTag;
  }

  /** The sum of a counter over all its label sets on the worker's Prometheus endpoint. */
  private static double workerMetric(LocalStack stack, String name) throws Exception {
    String text =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(stack.worker().url() + "/actuator/prometheus"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    double sum = 0;
    for (String line : text.split("\n")) {
      if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  private static double bareDrain(LocalStack stack, boolean local, boolean eager, int count)
      throws Exception {
    WorkflowServiceStubs stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(stack.temporal().target()).build());
    WorkflowClient client = WorkflowClient.newInstance(stubs);
    WorkerFactory factory = WorkerFactory.newInstance(client);
    String queue = "bench-bare-" + (local ? "local-" : "") + UUID.randomUUID();
    Worker worker =
        factory.newWorker(
            queue,
            WorkerOptions.newBuilder()
                .setMaxConcurrentWorkflowTaskPollers(8)
                .setMaxConcurrentActivityTaskPollers(4)
                .build());
    worker.registerWorkflowImplementationTypes(
        local
            ? BareWorkflows.OneLocalActivityWorkflowImpl.class
            : BareWorkflows.OneActivityWorkflowImpl.class);
    worker.registerActivitiesImplementations(new BareWorkflows.NoopActivitiesImpl());
    factory.start();
    ExecutorService starters = Executors.newFixedThreadPool(8);
    try {
      long start = System.nanoTime();
      List<CompletableFuture<String>> results = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        String id = queue + "-" + i;
        results.add(
            CompletableFuture.supplyAsync(
                    () -> {
                      WorkflowOptions options =
                          WorkflowOptions.newBuilder()
                              .setTaskQueue(queue)
                              .setWorkflowId(id)
                              .setDisableEagerExecution(!eager)
                              .build();
                      WorkflowStub stub =
                          client.newUntypedWorkflowStub(
                              local ? "OneLocalActivityWorkflow" : "OneActivityWorkflow", options);
                      stub.start("x");
                      return stub;
                    },
                    starters)
                .thenCompose(stub -> stub.getResultAsync(String.class)));
      }
      CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).join();
      return count / ((System.nanoTime() - start) / 1e9);
    } finally {
      starters.shutdown();
      factory.shutdownNow();
      stubs.shutdownNow();
    }
  }
}
