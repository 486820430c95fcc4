package com.marketplace.jobs.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.marketplace.jobs.common.JobType;
import com.marketplace.jobs.common.TaskQueues;
import com.marketplace.jobs.http.OutboundHttpProperties;
import com.marketplace.jobs.ledger.LedgerReconciler;
import com.marketplace.jobs.marketplace.MarketplaceEvent;
import com.marketplace.jobs.marketplace.MarketplaceEventResult;
import com.marketplace.jobs.marketplace.MarketplaceEventWorkflow;
import com.marketplace.jobs.notifications.CompanyNoticeWorkflowImpl;
import com.marketplace.jobs.notifications.DeliveryReceipt;
import com.marketplace.jobs.notifications.MailgunProperties;
import com.marketplace.jobs.notifications.NotificationRequest;
import com.marketplace.jobs.notifications.NotificationWorkflow;
import com.marketplace.jobs.notifications.NotificationWorkflowImpl;
import com.marketplace.jobs.payments.PaymentEventWorkflowImpl;
import com.marketplace.jobs.relay.WorkflowStartRelay;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.activity.ActivityInterface;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.metadata.POJOActivityInterfaceMetadata;
import io.temporal.common.metadata.POJOActivityMethodMetadata;
import io.temporal.spring.boot.autoconfigure.properties.TemporalProperties;
import io.temporal.spring.boot.autoconfigure.properties.WorkerProperties;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import io.temporal.workflow.WorkflowInterface;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.ClassUtils;

/**
 * The worker as configured in application.yaml and {@link TemporalWorkerConfig}, on the Temporal
 * starter's in-process test server, a real PostgreSQL (migrated by Flyway at start) and a fake
 * Mailgun: what it registers on its task queue, and that one notification job runs end to end with
 * the ledger interceptor keeping the job's row current.
 */
// The dev profile: the test's embedded PostgreSQL has no password, and the payload keys are the
// development ones (WorkerProductionStartupTest covers a production start).
@ActiveProfiles("dev")
@SpringBootTest(
    classes = WorkerApplication.class,
    properties = {
      "spring.temporal.test-server.enabled=true",
      "jobs.relay.enabled=false",
      "jobs.codec.keys=wiring-1:d2lyaW5nLXRlc3QtcGF5bG9hZC1rZXktMzItYnl0ZXM="
    })
class WorkerWiringTest {

  private static final String MAILGUN_DOMAIN = "mg.wiring.test";
  private static final String MAILGUN_API_KEY = "key-wiring-test";
  private static final String MAILGUN_FROM = "Rentals <no-reply@mg.wiring.test>";
  private static final String MESSAGE_ID = "<20260301.4711@mg.wiring.test>";

  private static final EmbeddedPostgres postgres = startPostgres();
  private static final MockWebServer mailgun = startMailgun();

  @Autowired private ApplicationContext context;
  @Autowired private WorkerFactory workerFactory;
  @Autowired private WorkflowClient client;
  @Autowired private JdbcClient jdbc;
  @Autowired private TemporalProperties temporalProperties;

  private static EmbeddedPostgres startPostgres() {
    try {
      return EmbeddedPostgres.builder().start();
    } catch (IOException e) {
      throw new UncheckedIOException("embedded PostgreSQL did not start", e);
    }
  }

  private static MockWebServer startMailgun() {
    MockWebServer server = new MockWebServer();
    try {
      server.start();
    } catch (IOException e) {
      throw new UncheckedIOException("MockWebServer did not start", e);
    }
    return server;
  }

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    registry.add("spring.datasource.url", () -> postgres.getJdbcUrl("postgres", "postgres"));
    registry.add("spring.datasource.username", () -> "postgres");
    registry.add("spring.datasource.password", () -> "");
    registry.add("spring.datasource.hikari.maximum-pool-size", () -> "5");
    registry.add(
        "jobs.mailgun.base-url", () -> "http://" + mailgun.getHostName() + ":" + mailgun.getPort());
    registry.add("jobs.mailgun.domain", () -> MAILGUN_DOMAIN);
    registry.add("jobs.mailgun.api-key", () -> MAILGUN_API_KEY);
    registry.add("jobs.mailgun.from", () -> MAILGUN_FROM);
    registry.add("jobs.marketplace.base-url", () -> "http://127.0.0.1:9");
    registry.add("jobs.marketplace.api-key", () -> "key-wiring-test");
    registry.add("jobs.marketplace.signing-secret", () -> "secret-wiring-test");
    registry.add("jobs.purchases.base-url", () -> "http://127.0.0.1:9");
    registry.add("jobs.purchases.api-key", () -> "key-wiring-test");
    registry.add("jobs.calendar.access-token", () -> "calendar-wiring-test");
    registry.add("jobs.stripe.api-base", () -> "http://127.0.0.1:9");
    registry.add("jobs.stripe.api-key", () -> "sk_test_wiring");
    registry.add("jobs.payments.finance-email", () -> "finance@wiring.test");
    registry.add("jobs.alerts.email", () -> "ops@wiring.test");
  }

  @AfterAll
  static void stopInfrastructure() throws IOException {
    mailgun.close();
    postgres.close();
  }

  /**
   * PostgreSQL's error detail quotes the failing row; with the driver configured as in
   * application.yaml, an exception message (which reaches logs and the ledger) names the constraint
   * and never the row's values.
   */
  @Test
  void databaseErrorsDoNotQuoteRowValues() {
    Throwable failure =
        catchThrowable(
            () ->
                jdbc.sql(
                        "INSERT INTO customers (id, tenant_id, email, first_name)"
                            + " VALUES (990001, 1, :email, NULL)")
                    .param("email", "annelie.berger@example.com")
                    .update());

    assertThat(failure).isNotNull();
    StringBuilder messages = new StringBuilder();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      messages.append(t).append('\n');
    }
    assertThat(messages.toString()).contains("first_name").doesNotContain("annelie");
  }

  @Test
  void theWorkerPollsTheJobsQueueAndOnlyThatOne() {
    assertThat(workerFactory.isStarted()).isTrue();
    Worker worker = workerFactory.tryGetWorker(TaskQueues.JOBS);
    assertThat(worker).as("a worker for task queue %s", TaskQueues.JOBS).isNotNull();
    // Cancellations reach a running saga step within seconds (TemporalWorkerConfig).
    assertThat(worker.getWorkerOptions().getMaxHeartbeatThrottleInterval())
        .isEqualTo(TemporalWorkerConfig.MAX_HEARTBEAT_THROTTLE);
    assertThat(context.getBeansOfType(Worker.class).values())
        .extracting(Worker::getTaskQueue)
        .containsExactly(TaskQueues.JOBS);
  }

  /**
   * Every workflow and activity interface of the service (scanned from the classpath, so a new one
   * cannot be forgotten) is registered on the jobs queue, as application.yaml tells the Temporal
   * starter, and every job type names a registered workflow type.
   */
  @Test
  void everyWorkflowAndActivityOfTheServiceIsRegisteredOnTheJobsQueueAndEveryJobTypeNamesOne() {
    List<WorkerProperties> workers = temporalProperties.getWorkers();
    assertThat(workers).extracting(WorkerProperties::getTaskQueue).containsExactly(TaskQueues.JOBS);
    WorkerProperties jobs = workers.get(0);

    Set<String> registeredWorkflows = new TreeSet<>();
    for (Class<?> implementation : jobs.getWorkflowClasses()) {
      for (Class<?> contract : implementation.getInterfaces()) {
        if (contract.isAnnotationPresent(WorkflowInterface.class)) {
          registeredWorkflows.add(Worker.getWorkflowType(contract));
        }
      }
    }
    Set<String> registeredActivities = new TreeSet<>();
    for (String bean : jobs.getActivityBeans()) {
      for (Class<?> contract : AopUtils.getTargetClass(context.getBean(bean)).getInterfaces()) {
        if (contract.isAnnotationPresent(ActivityInterface.class)) {
          activityTypes(contract).forEach(registeredActivities::add);
        }
      }
    }

    Set<String> serviceWorkflows = new TreeSet<>();
    Set<String> serviceActivities = new TreeSet<>();
    for (Class<?> contract : interfacesAnnotated(WorkflowInterface.class)) {
      serviceWorkflows.add(Worker.getWorkflowType(contract));
    }
    for (Class<?> contract : interfacesAnnotated(ActivityInterface.class)) {
      serviceActivities.addAll(activityTypes(contract));
    }
    assertThat(serviceWorkflows).hasSizeGreaterThanOrEqualTo(JobType.values().length);
    assertThat(registeredWorkflows).containsExactlyInAnyOrderElementsOf(serviceWorkflows);
    assertThat(registeredActivities).containsAll(serviceActivities);
    for (JobType type : JobType.values()) {
      assertThat(registeredWorkflows).as("job type %s", type.id()).contains(type.workflowType());
      assertThat(type.taskQueue()).isEqualTo(TaskQueues.JOBS);
    }
  }

  private static List<String> activityTypes(Class<?> activityInterface) {
    return POJOActivityInterfaceMetadata.newInstance(activityInterface)
        .getMethodsMetadata()
        .stream()
        .map(POJOActivityMethodMetadata::getActivityTypeName)
        .toList();
  }

  /** The service's interfaces carrying {@code annotation}, from the classpath. */
  private static List<Class<?>> interfacesAnnotated(Class<? extends Annotation> annotation) {
    ClassPathScanningCandidateComponentProvider scanner =
        new ClassPathScanningCandidateComponentProvider(false) {
          @Override
          protected boolean isCandidateComponent(AnnotatedBeanDefinition definition) {
            return definition.getMetadata().isInterface();
          }
        };
    scanner.addIncludeFilter(new AnnotationTypeFilter(annotation));
    List<Class<?>> found = new ArrayList<>();
    for (BeanDefinition definition : scanner.findCandidateComponents("com.marketplace.jobs")) {
      found.add(ClassUtils.resolveClassName(definition.getBeanClassName(), null));
    }
    return found;
  }

  @Test
  void theOutboundHttpPoolHasAConnectionForEveryActivityTheWorkerRunsAtOnce() {
    WorkerOptions options = workerFactory.tryGetWorker(TaskQueues.JOBS).getWorkerOptions();
    int slots =
        options.getMaxConcurrentActivityExecutionSize()
            + options.getMaxConcurrentLocalActivityExecutionSize();

    assertThat(slots).as("activity + local activity slots").isEqualTo(400);
    assertThat(context.getBean(OutboundHttpProperties.class).maxConnections())
        .as("jobs.http.max-connections")
        .isGreaterThanOrEqualTo(slots);
  }

  @Test
  void anAttemptAtAnEmailGivesUpOnMailgunBeforeItsActivityTimesOut() {
    MailgunProperties mailgun = context.getBean(MailgunProperties.class);

    assertThat(mailgun.sendDeadlines().worstCase()).isEqualTo(Duration.ofSeconds(13));
    assertThat(mailgun.eventsDeadlines().worstCase()).isEqualTo(Duration.ofSeconds(8));
    assertThat(mailgun.attemptWorstCase())
        .isEqualTo(Duration.ofSeconds(26))
        .isLessThan(NotificationWorkflowImpl.DELIVERY_START_TO_CLOSE)
        .isLessThan(CompanyNoticeWorkflowImpl.SEND_START_TO_CLOSE)
        .isLessThan(PaymentEventWorkflowImpl.ALERT_START_TO_CLOSE);
  }

  @Test
  void theWorkerProcessHasARelayWhichTheTestSwitchedOff() {
    assertThat(context.getBeansOfType(WorkflowStartRelay.class)).hasSize(1);
    assertThat(context.getBean(WorkflowStartRelay.class).isRunning()).isFalse();
  }

  @Test
  void theWorkerProcessReconcilesTheLedgerAndCountsItInItsMetrics() {
    assertThat(context.getBean(LedgerReconciler.class).isRunning()).isTrue();
    assertThat(
            context
                .getBean(MeterRegistry.class)
                .get(LedgerReconciler.RECONCILED_METRIC)
                .tag("close_status", "TERMINATED")
                .counter()
                .count())
        .isZero();
  }

  @Test
  void theTemporalSdkAndTheJobCountersReportIntoTheWorkersMeterRegistry() {
    MeterRegistry meters = context.getBean(MeterRegistry.class);

    assertThat(
            meters
                .get("jobs.failed")
                .tag("type", JobType.PAYMENT_EVENT.id())
                .tag("priority", "payment")
                .counter()
                .count())
        .isZero();
    // The starter's Micrometer scope reports every 10 s; the workers' pollers start at once.
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(40))
        .untilAsserted(
            () ->
                assertThat(meters.getMeters())
                    .extracting(meter -> meter.getId().getName())
                    .anyMatch(name -> name.startsWith("temporal_")));
  }

  @Test
  void aNotificationJobRunsEndToEndAndTheLedgerInterceptorKeepsItsRowCurrent() throws Exception {
    mailgun.enqueue(
        new MockResponse.Builder()
            .code(200)
            .addHeader("Content-Type", "application/json")
            .body("{\"id\":\"" + MESSAGE_ID + "\",\"message\":\"Queued. Thank you.\"}")
            .build());
    long tenantId = 1;
    long customerId = 42;
    jdbc.sql(
            "INSERT INTO tenants (id, name, plan, vehicle_limit)"
                + " VALUES (:id, 'Sunny Rentals', 'pro', 100)")
        .param("id", tenantId)
        .update();
    jdbc.sql(
            "INSERT INTO customers (id, tenant_id, email, first_name)"
                + " VALUES (:id, :tenantId, 'jane@example.org', 'Jane')")
        .param("id", customerId)
        .param("tenantId", tenantId)
        .update();
    UUID jobId = UUID.randomUUID();
    String workflowId = JobType.NOTIFICATION.workflowIdFor(jobId.toString());
    assertThat(workflowId).isEqualTo("notification-" + jobId);
    jdbc.sql(
            """
            INSERT INTO jobs (id, type, status, priority, workflow_id, workflow_type, task_queue,
                              payload, content_hash, tenant_id)
            VALUES (:id, 'notification', 'PENDING', :priority, :workflowId,
                    'NotificationWorkflow', :taskQueue, CAST(:payload AS jsonb), 'hash', :tenantId)
            """)
        .param("id", jobId)
        .param("priority", JobType.NOTIFICATION.priority().key())
        .param("workflowId", workflowId)
        .param("taskQueue", TaskQueues.JOBS)
        .param(
            "payload",
            "{\"jobId\":\""
                + jobId
                + "\",\"customerId\":42,\"template\":\"welcome\",\"params\":{}}")
        .param("tenantId", tenantId)
        .update();

    NotificationWorkflow workflow =
        client.newWorkflowStub(
            NotificationWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(workflowId)
                .setTaskQueue(TaskQueues.JOBS)
                .build());
    WorkflowClient.start(
        workflow::send, new NotificationRequest(jobId.toString(), customerId, "welcome", Map.of()));
    DeliveryReceipt receipt =
        WorkflowStub.fromTyped(workflow).getResult(60, TimeUnit.SECONDS, DeliveryReceipt.class);

    assertThat(receipt).isEqualTo(new DeliveryReceipt(jobId.toString(), MESSAGE_ID));
    // The starter gave the client (and so the worker) the encrypting converter: what the server
    // keeps of the input and the result is ciphertext under the configured key.
    List<HistoryEvent> events = client.fetchHistory(workflowId).getEvents();
    Payload input =
        events.get(0).getWorkflowExecutionStartedEventAttributes().getInput().getPayloads(0);
    Payload result =
        events
            .get(events.size() - 1)
            .getWorkflowExecutionCompletedEventAttributes()
            .getResult()
            .getPayloads(0);
    for (Payload payload : List.of(input, result)) {
      assertThat(payload.getMetadataOrThrow("encoding").toStringUtf8())
          .isEqualTo("binary/encrypted");
      assertThat(payload.getMetadataOrThrow("encryption-key-id").toStringUtf8())
          .isEqualTo("wiring-1");
    }

    assertThat(mailgun.getRequestCount()).isEqualTo(1);
    RecordedRequest request = mailgun.takeRequest(5, TimeUnit.SECONDS);
    assertThat(request).isNotNull();
    assertThat(request.getMethod()).isEqualTo("POST");
    assertThat(request.getUrl().encodedPath()).isEqualTo("/v3/" + MAILGUN_DOMAIN + "/messages");
    assertThat(request.getHeaders().get("Authorization"))
        .isEqualTo(
            "Basic "
                + Base64.getEncoder()
                    .encodeToString(("api:" + MAILGUN_API_KEY).getBytes(StandardCharsets.UTF_8)));
    Map<String, String> form = formFields(request.getBody().utf8());
    assertThat(form)
        .containsEntry("from", MAILGUN_FROM)
        .containsEntry("to", "jane@example.org")
        .containsEntry("o:tag", "welcome")
        .containsEntry("v:job-id", jobId.toString());

    Map<String, Object> ledger =
        jdbc.sql(
                """
                SELECT status, attempts, run_id, started_at, finished_at, last_error_type
                  FROM jobs WHERE id = :id
                """)
            .param("id", jobId)
            .query()
            .singleRow();
    assertThat(ledger.get("status")).isEqualTo("COMPLETED");
    assertThat(ledger.get("attempts")).as("attempts counted by the interceptor").isEqualTo(1);
    assertThat(ledger.get("run_id"))
        .isEqualTo(WorkflowStub.fromTyped(workflow).getExecution().getRunId());
    assertThat(ledger.get("started_at")).isNotNull();
    assertThat(ledger.get("finished_at")).isNotNull();
    assertThat(ledger.get("last_error_type")).isNull();

    Map<String, Object> delivery =
        jdbc.sql(
                """
                SELECT customer_id, template, provider_message_id
                  FROM email_deliveries WHERE job_id = :id
                """)
            .param("id", jobId)
            .query()
            .singleRow();
    assertThat(delivery)
        .containsEntry("customer_id", customerId)
        .containsEntry("template", "welcome")
        .containsEntry("provider_message_id", MESSAGE_ID);
  }

  @Test
  void aMarketplaceEventJobRunsOnTheJobsQueueWithItsActivitiesRegistered() {
    jdbc.sql("INSERT INTO tenants (id, name, plan, vehicle_limit) VALUES (7, 'Wiring', 'pro', 5)")
        .update();
    jdbc.sql(
            "INSERT INTO companies (id, tenant_id, name, email)"
                + " VALUES (701, 7, 'Wiring Cars', 'cars@wiring.test')")
        .update();
    jdbc.sql("INSERT INTO vehicle_models (id, tenant_id, name) VALUES (71, 7, 'Van')").update();
    jdbc.sql("INSERT INTO vehicles (id, company_id, model_id) VALUES (70001, 701, 71)").update();
    String jobId = UUID.randomUUID().toString();
    MarketplaceEventWorkflow workflow =
        client.newWorkflowStub(
            MarketplaceEventWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(JobType.MARKETPLACE_EVENT.workflowIdFor(jobId))
                .setTaskQueue(TaskQueues.JOBS)
                .build());

    MarketplaceEventResult result =
        workflow.process(
            MarketplaceEvent.listingRemoved(
                jobId, "evt_wiring_1", 1767225600L, 70001L, 701L, "wiring"));

    assertThat(result.outcome()).isEqualTo("listing_removal_recorded");
    assertThat(
            jdbc.sql(
                    "SELECT vehicle_id FROM marketplace_listing_removals"
                        + " WHERE event_id = 'evt_wiring_1'")
                .query(Long.class)
                .single())
        .isEqualTo(70001L);
  }

  private static Map<String, String> formFields(String body) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (String pair : body.split("&")) {
      int equals = pair.indexOf('=');
      fields.put(
          URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
    }
    return fields;
  }
}
