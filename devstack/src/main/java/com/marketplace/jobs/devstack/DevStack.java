package com.marketplace.jobs.devstack;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code bin/run}: starts the whole service for development and prints where everything is. Ctrl-C
 * stops everything it started. Data (PostgreSQL, Temporal's SQLite file, logs) stays in .data/
 * between runs. Ports come from the environment, with the defaults in README.md.
 */
public final class DevStack {

  private DevStack() {}

  public static void main(String[] args) throws InterruptedException {
    Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
    LocalStack.Settings settings =
        new LocalStack.Settings(
                root,
                root.resolve(".data"),
                true,
                false,
                port("DEV_POSTGRES_PORT", 5433),
                port("TEMPORAL_PORT", 7233),
                port("TEMPORAL_UI_PORT", 8233),
                port("MAIL_SINK_PORT", 8025),
                port("ALERT_WEBHOOK_PORT", 8027),
                port("MARKETPLACE_PORT", 8026),
                port("SEARCH_PORT", 9200),
                port("PURCHASE_PROVIDER_PORT", 8029),
                port("CALENDAR_PORT", 8028),
                port("STRIPE_MOCK_PORT", 12111),
                port("STRIPE_PROXY_PORT", 12112),
                port("API_PORT", 8080),
                port("WORKER_PORT", 8081),
                Map.of(),
                Map.of(),
                List.of(),
                List.of())
            .withDevProfile();
    for (var entry :
        Map.ofEntries(
                Map.entry("DEV_POSTGRES_PORT", settings.postgresPort()),
                Map.entry("TEMPORAL_PORT", settings.temporalPort()),
                Map.entry("TEMPORAL_UI_PORT", settings.temporalUiPort()),
                Map.entry("MAIL_SINK_PORT", settings.mailPort()),
                Map.entry("ALERT_WEBHOOK_PORT", settings.alertWebhookPort()),
                Map.entry("MARKETPLACE_PORT", settings.marketplacePort()),
                Map.entry("SEARCH_PORT", settings.searchPort()),
                Map.entry("PURCHASE_PROVIDER_PORT", settings.purchasesPort()),
                Map.entry("CALENDAR_PORT", settings.calendarPort()),
                Map.entry("STRIPE_MOCK_PORT", settings.stripeMockPort()),
                Map.entry("STRIPE_PROXY_PORT", settings.stripeProxyPort()),
                Map.entry("API_PORT", settings.apiPort()),
                Map.entry("WORKER_PORT", settings.workerPort()))
            .entrySet()) {
      if (Ports.isOpen(entry.getValue())) {
        System.err.printf(
            "Port %d is already in use (another bin/run?). Stop that program or choose another"
                + " port, e.g. %s=%d bin/run%n",
            entry.getValue(), entry.getKey(), entry.getValue() + 100);
        System.exit(2);
      }
    }

    System.out.println(triggerAuthentication());
    LocalStack stack = new LocalStack(settings);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("\nStopping api, worker, Temporal and PostgreSQL...");
                  stack.close();
                },
                "devstack-shutdown"));
    long startedAt = System.nanoTime();
    System.out.println(
        "Starting PostgreSQL, Temporal, stripe-mock, the Mailgun sink, worker and api...");
    stack.start();
    long seconds = (System.nanoTime() - startedAt) / 1_000_000_000L;
    System.out.printf(
        """

        Background jobs service is up (%d s). Ctrl-C stops everything.

          API                 %s   (try: curl -X POST %s/api/notifications \\
                                  -H 'Content-Type: application/json' \\
                                  -d '{"customerId": 42, "template": "welcome"}')
          Jobs                %s/api/jobs   stats: %s/api/jobs/stats
          Operations page     %s/ops   (sign in as viewer / dev-viewer or operator / dev-operator)
          API health          %s/actuator/health
          Worker health       %s/actuator/health
          Temporal Web UI     %s   (decrypts payloads through %s)
          Temporal gRPC       %s   (temporal workflow list --address %s;
                                  payloads in clear: add --codec-endpoint %s)
          Emails sent (sink)  %s/messages
          Alert webhook       %s   (posts received: %s/posts)
          Marketplace (fake)  %s/v1/listings?companyId=101
          Google Calendar     %scalendar/v3/calendars/%s/events   (fake; add
                                  -H 'Authorization: Bearer %s'; conflicts: %s/api/calendar/conflicts)
          OpenSearch          %s/vehicles/_search?q=companyId:101
          Purchase provider   %s/v1/purchases/demo-purchase-101-1   (fake; set a status:
                                  curl -X POST '%s/control/purchases/demo-purchase-101-1?status=completed')
          stripe-mock         %s   (the worker calls it through %s; requests: %s/control/requests)
          Stripe webhooks     %s/webhooks/stripe   (signing secrets: %s)
          Billion webhooks    %s/webhooks/marketplace   (signing secrets: %s;
                                  headers Billion-Timestamp, Billion-Signature: docs/integrations/billion-marketplace.md)
          Mailgun webhooks    %s/webhooks/mailgun   (signing keys: %s)
          PostgreSQL          %s   (user postgres, no password)
          Logs                %s

        %s

        """,
        seconds,
        stack.api().url(),
        stack.api().url(),
        stack.api().url(),
        stack.api().url(),
        stack.api().url(),
        stack.api().url(),
        stack.worker().url(),
        stack.temporal().uiUrl(),
        stack.codecEndpoint(),
        stack.temporal().target(),
        stack.temporal().target(),
        stack.codecEndpoint(),
        stack.mail().baseUrl(),
        stack.alertWebhook().url(),
        stack.alertWebhook().baseUrl(),
        stack.marketplace().baseUrl(),
        stack.calendar().rootUrl(),
        DemoData.CALENDAR_ID,
        LocalStack.CALENDAR_ACCESS_TOKEN,
        stack.api().url(),
        stack.search().url(),
        stack.purchases().baseUrl(),
        stack.purchases().baseUrl(),
        stack.stripeMock().baseUrl(),
        stack.stripe().baseUrl(),
        stack.stripe().baseUrl(),
        stack.api().url(),
        String.join(", ", LocalStack.STRIPE_WEBHOOK_SECRETS),
        stack.api().url(),
        String.join(", ", LocalStack.MARKETPLACE_WEBHOOK_SECRETS),
        stack.api().url(),
        String.join(", ", LocalStack.MAILGUN_WEBHOOK_SIGNING_KEYS),
        stack.database().jdbcUrl(),
        settings.dataDir().resolve("logs"),
        triggerAuthentication());
    Thread.currentThread().join();
  }

  /** The dev profile turns trigger authentication off unless JOBS_TRIGGER_AUTH says otherwise. */
  private static String triggerAuthentication() {
    if ("true".equalsIgnoreCase(System.getenv("JOBS_TRIGGER_AUTH"))) {
      return "Trigger authentication is ON (JOBS_TRIGGER_AUTH=true): /api/** needs a bearer token";
    }
    return "Trigger authentication is OFF (dev profile): /api/** accepts calls without a token";
  }

  private static int port(String variable, int defaultPort) {
    String value = System.getenv(variable);
    if (value == null || value.isBlank()) {
      return defaultPort;
    }
    try {
      int port = Integer.parseInt(value.strip());
      if (port < 1 || port > 65535) {
        throw new NumberFormatException();
      }
      return port;
    } catch (NumberFormatException e) {
      System.err.printf("%s must be a port number (1-65535), not '%s'%n", variable, value);
      System.exit(2);
      return -1;
    }
  }
}
