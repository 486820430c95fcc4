package com.marketplace.jobs.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.marketplace.jobs.devstack.LocalStack;
import com.marketplace.jobs.security.codec.PayloadEncryption;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;

/** Base of the system tests: the shared stack, an HTTP client for the api, SQL, Temporal. */
abstract class StackTest {

  static final Set<String> FINISHED = Set.of("COMPLETED", "FAILED", "CANCELLED");

  LocalStack stack;
  JsonHttp api;
  Sql sql;

  @BeforeEach
  void connect() {
    if (!(this instanceof PersonalDataInLogsIT)) {
      PersonalDataInLogsIT.RAN_BEFORE.add(getClass().getSimpleName());
    }
    stack = SharedStack.get();
    api = JsonHttp.api(stack);
    sql = new Sql(stack.database().dataSource());
    // Tests share the stack: start each one after the jobs of earlier tests have finished, so
    // none of them sends an email or consumes a planned Mailgun failure during this test.
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                sql.count("SELECT count(*) FROM jobs WHERE status IN ('PENDING', 'PROCESSING')")
                    == 0);
    stack.mail().reset();
  }

  /** A client that reads and writes payloads as the apps do: encrypted with the stack's keys. */
  WorkflowClient temporalClient() {
    return temporalClient(LocalStack.PAYLOAD_KEYS);
  }

  WorkflowClient temporalClient(String payloadKeys) {
    WorkflowServiceStubs stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(stack.temporal().target()).build());
    return WorkflowClient.newInstance(
        stubs,
        WorkflowClientOptions.newBuilder()
            .setNamespace("default")
            .setDataConverter(PayloadEncryption.dataConverter(payloadKeys))
            .build());
  }

  /** A request body no other test sends, so content de-duplication never joins two tests. */
  static String uniqueWelcome(long customerId) {
    return """
        {"customerId": %d, "template": "welcome", "params": {"campaign": "%s"}}
        """
        .formatted(customerId, UUID.randomUUID());
  }

  JsonNode awaitFinished(String jobId, Duration timeout) {
    JsonNode[] last = new JsonNode[1];
    await()
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              last[0] = api.get("/api/jobs/" + jobId).json();
              return FINISHED.contains(last[0].path("status").asText());
            });
    return last[0];
  }

  /** The moderation job's one follow-up (the email to the company), once it has finished. */
  JsonNode awaitFollowUpFinished(String jobId) {
    JsonNode[] followUp = new JsonNode[1];
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              JsonNode followUps = api.get("/api/jobs/" + jobId).json().path("followUps");
              followUp[0] = followUps.path(0);
              return followUps.size() == 1
                  && FINISHED.contains(followUp[0].path("status").asText());
            });
    return followUp[0];
  }

  Map<String, Object> jobRow(String jobId) {
    return sql.rows("SELECT * FROM jobs WHERE id = ?::uuid", jobId).get(0);
  }

  /** The ids of the company's vehicles in the search index, as a search user would find them. */
  List<Long> indexed(long company) {
    JsonHttp search = new JsonHttp(stack.search().url());
    search.post("/vehicles/_refresh", "");
    JsonNode hits =
        search
            .get("/vehicles/_search?size=10000&_source=false&q=companyId:" + company)
            .json()
            .path("hits")
            .path("hits");
    List<Long> ids = new ArrayList<>();
    hits.forEach(hit -> ids.add(Long.parseLong(hit.path("_id").asText())));
    return ids;
  }

  /** Runs the stack's pinned {@code temporal} CLI against its dev server, as an operator would. */
  String cli(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(stack.temporal().binary().toString()));
    command.addAll(List.of(args));
    command.addAll(List.of("--address", stack.temporal().target(), "--namespace", "default"));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    return output;
  }

  /** A company's moderation-relevant rows: vehicles' published flags, orders' statuses. */
  record Snapshot(String status, Map<Long, Boolean> vehicles, Map<Long, String> orders) {}

  Snapshot snapshot(long company) {
    Map<Long, Boolean> vehicles = new TreeMap<>();
    sql.rows("SELECT id, published FROM vehicles WHERE company_id = ?", company)
        .forEach(row -> vehicles.put((Long) row.get("id"), (Boolean) row.get("published")));
    Map<Long, String> orders = new TreeMap<>();
    sql.rows("SELECT id, status FROM orders WHERE company_id = ?", company)
        .forEach(row -> orders.put((Long) row.get("id"), (String) row.get("status")));
    return new Snapshot(companyStatus(company), vehicles, orders);
  }

  String companyStatus(long company) {
    return (String)
        sql.rows("SELECT status FROM companies WHERE id = ?", company).get(0).get("status");
  }

  /** The tenant's marketplace flags: "company 101" → true, "model 13" → false, ... */
  Map<String, Boolean> flags(long tenant) {
    Map<String, Boolean> flags = new TreeMap<>();
    sql.rows(
            "SELECT 'company ' || id AS name, marketplace_enabled FROM companies WHERE tenant_id = ?"
                + " UNION ALL SELECT 'model ' || id, marketplace_enabled FROM vehicle_models"
                + " WHERE tenant_id = ?",
            tenant,
            tenant)
        .forEach(
            row -> flags.put((String) row.get("name"), (Boolean) row.get("marketplace_enabled")));
    return flags;
  }
}
