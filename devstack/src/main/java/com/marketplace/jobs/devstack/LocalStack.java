package com.marketplace.jobs.devstack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the service needs, on this machine, without Docker: embedded PostgreSQL (migrated,
 * demo data seeded), the Temporal dev server, a Mailgun sink, stripe-mock behind a recording proxy,
 * and the api and worker jars as child processes. {@code bin/run} starts one with fixed ports and
 * data kept under .data/; the system tests and benchmarks start their own on free ports.
 */
public final class LocalStack implements AutoCloseable {

  /**
   * @param projectRoot the repository root (for the jars and bin/ensure-tools)
   * @param dataDir PostgreSQL data, logs and (if {@code persistentTemporal}) Temporal's database
   * @param persistentTemporal keep Temporal's state in a SQLite file under dataDir
   * @param devProfile run the apps with the dev profile (lenient settings, trigger authentication
   *     off, schedules running); without it they run as in production and refuse development
   *     settings, and the worker keeps every schedule paused (tests trigger the runs they need)
   */
  public record Settings(
      Path projectRoot,
      Path dataDir,
      boolean persistentTemporal,
      boolean devProfile,
      int postgresPort,
      int temporalPort,
      int temporalUiPort,
      int mailPort,
      int alertWebhookPort,
      int marketplacePort,
      int searchPort,
      int purchasesPort,
      int calendarPort,
      int stripeMockPort,
      int stripeProxyPort,
      int apiPort,
      int workerPort,
      Map<String, String> apiEnvironment,
      Map<String, String> workerEnvironment,
      List<String> apiJvmOptions,
      List<String> workerJvmOptions) {

    /** Free ports, in-memory Temporal, data under {@code dataDir}: for tests and benchmarks. */
    public static Settings ephemeral(Path projectRoot, Path dataDir) {
      return new Settings(
          projectRoot,
          dataDir,
          false,
          false,
          Ports.free(),
          Ports.free(),
          Ports.free(),
          Ports.free(),
          Ports.free(),
          Ports.free(),
          Ports.free(),
          Ports.free(),
          Ports.free(),
          Ports.free(),
          Ports.free(),
          Ports.free(),
          Ports.free(),
          Map.of(),
          Map.of(),
          List.of("-Xmx512m"),
          List.of("-Xmx512m"));
    }

    public Settings withApiEnvironment(Map<String, String> environment) {
      return with(persistentTemporal, devProfile, environment, workerEnvironment, workerJvmOptions);
    }

    /** Extra environment of the worker processes, over the stack's own (e.g. shorter intervals). */
    public Settings withWorkerEnvironment(Map<String, String> environment) {
      return with(persistentTemporal, devProfile, apiEnvironment, environment, workerJvmOptions);
    }

    /** The worker's JVM options (the defaults are {@code -Xmx512m}), e.g. a smaller heap. */
    public Settings withWorkerJvmOptions(List<String> options) {
      return with(persistentTemporal, devProfile, apiEnvironment, workerEnvironment, options);
    }

    /** Temporal keeps its state in a SQLite file (WAL) under dataDir, as bin/run does. */
    public Settings withPersistentTemporal() {
      return with(true, devProfile, apiEnvironment, workerEnvironment, workerJvmOptions);
    }

    /**
     * Both apps run with the dev profile, as bin/run does: trigger authentication off, development
     * defaults accepted. Tests and benchmarks leave it off, so they run the apps as production
     * does.
     */
    public Settings withDevProfile() {
      return with(persistentTemporal, true, apiEnvironment, workerEnvironment, workerJvmOptions);
    }

    /** A copy with the settings the withers change; everything else (the ports) kept. */
    private Settings with(
        boolean persistent,
        boolean dev,
        Map<String, String> api,
        Map<String, String> workerEnv,
        List<String> workerOptions) {
      return new Settings(
          projectRoot,
          dataDir,
          persistent,
          dev,
          postgresPort,
          temporalPort,
          temporalUiPort,
          mailPort,
          alertWebhookPort,
          marketplacePort,
          searchPort,
          purchasesPort,
          calendarPort,
          stripeMockPort,
          stripeProxyPort,
          apiPort,
          workerPort,
          api,
          workerEnv,
          apiJvmOptions,
          workerOptions);
    }
  }

  public static final String MAIL_DOMAIN = "mg.rentals.test";
  public static final String MAIL_API_KEY = "local-sink-key";
  public static final String MARKETPLACE_API_KEY = "local-marketplace-key";
  public static final String MARKETPLACE_SIGNING_SECRET = "local-marketplace-signing-secret";
  public static final String PURCHASE_PROVIDER_API_KEY = "local-purchase-provider-key";

  /** The static access token the worker sends to the Google Calendar fake, which checks it. */
  public static final String CALENDAR_ACCESS_TOKEN = "local-calendar-access-token";

  /**
   * The api accepts Billion's events signed with either (a secret being rotated). Long enough for a
   * production start (24 characters at least), as the stack runs the apps without the dev profile.
   */
  public static final List<String> MARKETPLACE_WEBHOOK_SECRETS =
      List.of("billion_whsec_local_current_0123456789", "billion_whsec_local_next_0123456789");

  /**
   * The api accepts Mailgun webhooks signed with either (a key being rotated). Long enough for a
   * production start (24 characters at least).
   */
  public static final List<String> MAILGUN_WEBHOOK_SIGNING_KEYS =
      List.of("mailgun-signing-local-current-0123456789", "mailgun-signing-local-next-0123456789");

  /** stripe-mock accepts any test-mode key without a further underscore. */
  public static final String STRIPE_API_KEY = "sk_test_localstack";

  /**
   * The api accepts webhooks signed with either (a secret being rotated). Long enough for a
   * production start (24 characters at least).
   */
  public static final List<String> STRIPE_WEBHOOK_SECRETS =
      List.of("whsec_local_current_0123456789abcdef", "whsec_local_next_0123456789abcdef");

  /**
   * The api's trigger-token signing keys (HS256), current then next: callers may sign with either.
   * Test fixtures, not the dev profile's defaults, so the stack also runs without the dev profile.
   */
  public static final List<String> TOKEN_KEYS =
      List.of(
          "local-stack-token-key-current-0123456789abcdef",
          "local-stack-token-key-next-0123456789abcdef-next");

  /** The payload encryption keys, {@code id:base64}, the first one encrypting. */
  public static final String PAYLOAD_KEYS = "local-1:bG9jYWwtc3RhY2stcGF5bG9hZC1rZXktMzJieXRlcyE=";

  /**
   * The apps' database password. The embedded PostgreSQL trusts local connections and never checks
   * it; it is set because an app without the dev profile refuses to start without a long one.
   */
  public static final String DATABASE_PASSWORD = "local-stack-database-password";

  public static final String FINANCE_EMAIL = "finance@rentals.test";

  /** Where the worker emails operations alerts. */
  public static final String OPS_ALERTS_EMAIL = "ops-alerts@rentals.test";

  /**
   * The /ops users of a stack without the dev profile (the dev profile brings its own, see the
   * api's application-dev.yaml): a viewer and an operator, with these passwords.
   */
  public static final String OPS_VIEWER = "viewer";

  public static final String OPS_VIEWER_PASSWORD = "local-stack-viewer-password";
  public static final String OPS_OPERATOR = "operator";
  public static final String OPS_OPERATOR_PASSWORD = "local-stack-operator-password";

  // bcrypt hashes of the two passwords above.
  private static final String OPS_VIEWER_HASH =
      "{bcrypt}$2a$10$h29Pm6d3sJ.NNCl3IVTR8urFdlIIwnPKvG3QlNPYteEkg5z.A46P.";
  private static final String OPS_OPERATOR_HASH =
      "{bcrypt}$2a$10$mfTnIGHLcg2FxnZow6GjxOEBvO.knMIhE6hgCPwuqcdlAKrt0FPCC";

  /**
   * The worker's Stripe read timeout in the local stack: short, so a timeout the proxy injects
   * costs the tests seconds, and the proxy holds a "timed-out" answer back longer than this.
   */
  public static final Duration STRIPE_READ_TIMEOUT = Duration.ofSeconds(2);

  private final Settings settings;
  private EmbeddedDatabase database;
  private TemporalDevServer temporal;
  private MailgunSink mail;
  private AlertWebhookSink alertWebhook;
  private MarketplaceFake marketplace;
  private OpenSearchNode search;
  private PurchaseProviderFake purchases;
  private GoogleCalendarFake calendar;
  private StripeMock stripeMock;
  private StripeFaultProxy stripe;
  private AppProcess worker;
  private AppProcess api;

  public LocalStack(Settings settings) {
    this.settings = settings;
  }

  public LocalStack start() {
    Path logs = settings.dataDir().resolve("logs");
    database =
        EmbeddedDatabase.start(settings.dataDir().resolve("postgres"), settings.postgresPort());
    database.migrate();
    DemoData.seed(database.dataSource());
    search =
        new OpenSearchNode(settings.dataDir().resolve("opensearch"), logs, settings.searchPort())
            .start();
    DemoSearchIndex.seed(database.dataSource(), search.url());

    temporal =
        new TemporalDevServer(
                TemporalDevServer.locateBinary(settings.projectRoot()),
                settings.temporalPort(),
                settings.temporalUiPort(),
                settings.persistentTemporal()
                    ? settings.dataDir().resolve("temporal/temporal.db")
                    : null,
                logs.resolve("temporal.log"),
                codecEndpoint())
            .start();

    mail = new MailgunSink(MAIL_DOMAIN, MAIL_API_KEY).start(settings.mailPort());
    alertWebhook = new AlertWebhookSink().start(settings.alertWebhookPort());
    marketplace =
        new MarketplaceFake(MARKETPLACE_API_KEY, MARKETPLACE_SIGNING_SECRET)
            .start(settings.marketplacePort());
    seedMarketplace();
    purchases = new PurchaseProviderFake(PURCHASE_PROVIDER_API_KEY).start(settings.purchasesPort());
    calendar = new GoogleCalendarFake(CALENDAR_ACCESS_TOKEN).start(settings.calendarPort());
    DemoData.seedCalendar(database.dataSource(), calendar);
    stripeMock =
        new StripeMock(
                StripeMock.locateBinary(settings.projectRoot()),
                settings.stripeMockPort(),
                logs.resolve("stripe-mock.log"))
            .start();
    stripe =
        new StripeFaultProxy(stripeMock.baseUrl(), STRIPE_READ_TIMEOUT.plusSeconds(1))
            .start(settings.stripeProxyPort());

    worker =
        new AppProcess(
            "worker",
            AppProcess.executableJar(settings.projectRoot(), "worker"),
            settings.workerPort(),
            workerEnvironment(),
            settings.workerJvmOptions(),
            logs.resolve("worker.log"));
    api =
        new AppProcess(
            "api",
            AppProcess.executableJar(settings.projectRoot(), "api"),
            settings.apiPort(),
            apiEnvironment(),
            settings.apiJvmOptions(),
            logs.resolve("api.log"));
    worker.start();
    api.start();
    worker.awaitHealthy(Duration.ofMinutes(3));
    api.awaitHealthy(Duration.ofMinutes(3));
    return this;
  }

  /**
   * The api's codec endpoint, which the Web UI calls from the operator's browser to show the
   * encrypted payloads in clear.
   */
  public String codecEndpoint() {
    return "http://127.0.0.1:" + settings.apiPort() + "/codec";
  }

  private Map<String, String> commonEnvironment() {
    Map<String, String> environment = new HashMap<>();
    environment.put("SPRING_DATASOURCE_URL", database.jdbcUrl());
    environment.put("SPRING_DATASOURCE_USERNAME", database.username());
    environment.put("SPRING_DATASOURCE_PASSWORD", DATABASE_PASSWORD);
    // Set either way, so a SPRING_PROFILES_ACTIVE inherited from the caller's shell cannot turn a
    // test stack into a lenient one.
    environment.put("SPRING_PROFILES_ACTIVE", settings.devProfile() ? "dev" : "");
    environment.put("TEMPORAL_ADDRESS", temporal.target());
    environment.put("JOBS_PAYLOAD_KEYS", PAYLOAD_KEYS);
    return environment;
  }

  private Map<String, String> workerEnvironment() {
    Map<String, String> environment = commonEnvironment();
    environment.put("WORKER_PORT", Integer.toString(settings.workerPort()));
    environment.put("MAILGUN_BASE_URL", mail.baseUrl());
    environment.put("MAILGUN_DOMAIN", MAIL_DOMAIN);
    environment.put("MAILGUN_API_KEY", MAIL_API_KEY);
    environment.put("MAILGUN_FROM", "Rentals <no-reply@" + MAIL_DOMAIN + ">");
    environment.put("OPENSEARCH_URL", search.url());
    environment.put("MARKETPLACE_BASE_URL", marketplace.baseUrl());
    environment.put("MARKETPLACE_API_KEY", MARKETPLACE_API_KEY);
    environment.put("MARKETPLACE_SIGNING_SECRET", MARKETPLACE_SIGNING_SECRET);
    environment.put("PURCHASE_PROVIDER_BASE_URL", purchases.baseUrl());
    environment.put("PURCHASE_PROVIDER_API_KEY", PURCHASE_PROVIDER_API_KEY);
    environment.put("GOOGLE_CALENDAR_ROOT_URL", calendar.rootUrl());
    environment.put("GOOGLE_CALENDAR_ACCESS_TOKEN", CALENDAR_ACCESS_TOKEN);
    environment.put("STRIPE_API_BASE", stripe.baseUrl());
    environment.put("STRIPE_API_KEY", STRIPE_API_KEY);
    environment.put("STRIPE_READ_TIMEOUT", STRIPE_READ_TIMEOUT.toMillis() + "ms");
    environment.put("FINANCE_ALERT_EMAIL", FINANCE_EMAIL);
    environment.put("JOBS_ALERTS_EMAIL", OPS_ALERTS_EMAIL);
    environment.put("JOBS_ALERTS_WEBHOOK_URL", alertWebhook.url());
    environment.put("JOBS_ALERTS_PUBLIC_BASE_URL", "http://127.0.0.1:" + settings.apiPort());
    // Capture retries 1 s, 2 s, 4 s apart instead of 90 s, 3 min, 6 min: tests and demos wait
    // seconds for a healed payment. The 15-minute budget itself is proven on the time-skipping
    // test server (PaymentEventWorkflowTest).
    environment.put("JOBS_PAYMENTS_CAPTURERETRY_INITIALINTERVAL", "1s");
    // Tests and benchmarks count emails and jobs: a scheduled run firing in the middle of one would
    // disturb it, so their stacks keep every schedule paused and trigger a run when they need one.
    // bin/run (the dev profile) keeps the schedules running. An override in the settings wins.
    environment.put("JOBS_SCHEDULES_PAUSE_ALL", Boolean.toString(!settings.devProfile()));
    environment.putAll(settings.workerEnvironment());
    return environment;
  }

  private Map<String, String> apiEnvironment() {
    Map<String, String> environment = commonEnvironment();
    environment.put("API_PORT", Integer.toString(settings.apiPort()));
    environment.put("STRIPE_WEBHOOK_SECRETS", String.join(",", STRIPE_WEBHOOK_SECRETS));
    environment.put("MARKETPLACE_WEBHOOK_SECRETS", String.join(",", MARKETPLACE_WEBHOOK_SECRETS));
    environment.put("MAILGUN_WEBHOOK_SIGNING_KEYS", String.join(",", MAILGUN_WEBHOOK_SIGNING_KEYS));
    environment.put("JOBS_TOKEN_KEYS", String.join(",", TOKEN_KEYS));
    if (!settings.devProfile()) {
      environment.put("JOBS_OPS_USERS_VIEWER_PASSWORD", OPS_VIEWER_HASH);
      environment.put("JOBS_OPS_USERS_VIEWER_ROLES", "viewer");
      environment.put("JOBS_OPS_USERS_OPERATOR_PASSWORD", OPS_OPERATOR_HASH);
      environment.put("JOBS_OPS_USERS_OPERATOR_ROLES", "operator");
    }
    environment.put("TEMPORAL_UI_URL", "http://127.0.0.1:" + settings.temporalUiPort());
    environment.put(
        "TEMPORAL_UI_ORIGIN",
        String.join(",", TemporalDevServer.uiOrigins(settings.temporalUiPort())));
    environment.putAll(settings.apiEnvironment());
    return environment;
  }

  public Settings settings() {
    return settings;
  }

  public EmbeddedDatabase database() {
    return database;
  }

  public TemporalDevServer temporal() {
    return temporal;
  }

  public MailgunSink mail() {
    return mail;
  }

  /** The fake webhook the worker posts operations alerts to. */
  public AlertWebhookSink alertWebhook() {
    return alertWebhook;
  }

  public OpenSearchNode search() {
    return search;
  }

  public MarketplaceFake marketplace() {
    return marketplace;
  }

  /** The fake purchase provider the worker's purchase-status checks ask. */
  public PurchaseProviderFake purchases() {
    return purchases;
  }

  /** The Google Calendar fake the worker's calendar sync reads. */
  public GoogleCalendarFake calendar() {
    return calendar;
  }

  /** stripe-mock itself. */
  public StripeMock stripeMock() {
    return stripeMock;
  }

  /** The proxy in front of stripe-mock that the worker calls: records requests, injects faults. */
  public StripeFaultProxy stripe() {
    return stripe;
  }

  /**
   * The fake starts with what the marketplace would list: published vehicles of companies on it.
   */
  private void seedMarketplace() {
    java.util.Map<Long, java.util.List<Long>> listed = new java.util.HashMap<>();
    try (var connection = database.dataSource().getConnection();
        var statement = connection.createStatement();
        var rows =
            statement.executeQuery(
                "SELECT v.company_id, v.id FROM vehicles v JOIN companies c ON c.id = v.company_id"
                    + " WHERE v.published AND c.marketplace_enabled")) {
      while (rows.next()) {
        listed.computeIfAbsent(rows.getLong(1), id -> new ArrayList<>()).add(rows.getLong(2));
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("could not read the demo listings", e);
    }
    listed.forEach(marketplace::seed);
  }

  public AppProcess worker() {
    return worker;
  }

  /**
   * Another worker process for this stack, on a free port, configured like {@link #worker()} plus
   * {@code overrides} (capacity limits, say); not started. Whoever starts it stops it.
   */
  public AppProcess extraWorker(String name, Map<String, String> overrides) {
    return extraApp(
        name, "worker", "WORKER_PORT", workerEnvironment(), overrides, settings.workerJvmOptions());
  }

  public AppProcess api() {
    return api;
  }

  /**
   * Another api process for this stack, on a free port, configured like {@link #api()} plus {@code
   * overrides}; not started. Whoever starts it stops it.
   */
  public AppProcess extraApi(String name, Map<String, String> overrides) {
    return extraApp(name, "api", "API_PORT", apiEnvironment(), overrides, settings.apiJvmOptions());
  }

  /** One more process of {@code module}'s jar on a free port, its log beside the stack's. */
  private AppProcess extraApp(
      String name,
      String module,
      String portVariable,
      Map<String, String> environment,
      Map<String, String> overrides,
      List<String> jvmOptions) {
    int port = Ports.free();
    environment.put(portVariable, Integer.toString(port));
    environment.putAll(overrides);
    return new AppProcess(
        name,
        AppProcess.executableJar(settings.projectRoot(), module),
        port,
        environment,
        jvmOptions,
        settings.dataDir().resolve("logs").resolve(name + ".log"));
  }

  /** Stops everything this stack started, children first, each by its own handle. */
  @Override
  public void close() {
    List<RuntimeException> failures = new ArrayList<>();
    for (AutoCloseable part :
        new AutoCloseable[] {
          api,
          worker,
          stripe,
          stripeMock,
          purchases,
          marketplace,
          calendar,
          alertWebhook,
          mail,
          search,
          temporal,
          database
        }) {
      if (part == null) {
        continue;
      }
      try {
        part.close();
      } catch (Exception e) {
        failures.add(new IllegalStateException("could not stop " + part, e));
      }
    }
    if (!failures.isEmpty()) {
      failures.forEach(Throwable::printStackTrace);
    }
  }
}
