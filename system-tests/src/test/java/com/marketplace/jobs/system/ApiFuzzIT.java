package com.marketplace.jobs.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.marketplace.jobs.devstack.LocalStack;
import com.marketplace.jobs.security.tokens.TriggerToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every endpoint the api's OpenAPI document lists, called thousands of times with generated and
 * mutated paths, parameters, headers and bodies, and with valid and invalid trigger tokens, drawn
 * from one seeded random (a failure names its seed; {@code -Dfuzz.seed=…} replays the run, {@code
 * -Dfuzz.requests=…} changes its length, 3,000 by default). Whatever comes in: never a 5xx, and a
 * refused request (any 4xx) writes no ledger row and no webhook event, so nothing can start. At the
 * end every workflow in Temporal belongs to a job the api accepted.
 *
 * <p>Accepted requests are real jobs, so the fuzz owns what they may change: its own tenant,
 * company and customer; every other id it sends does not exist.
 */
class ApiFuzzIT extends StackTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final long TENANT = 9_901;
  static final long COMPANY = 990_001;
  private static final long CUSTOMER = 990_001;
  private static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete");

  /** How a request authenticates. */
  enum Token {
    VALID,
    READ_ONLY,
    WRITE_ONLY,
    NO_BODY_CLAIM,
    OTHER_BODY,
    EXPIRED,
    NOT_YET_VALID,
    OTHER_KEY,
    OTHER_AUDIENCE,
    OTHER_ISSUER,
    GARBAGE,
    BASIC,
    NONE
  }

  record Operation(String method, String path, JsonNode parameters, JsonNode bodySchema) {
    @Override
    public String toString() {
      return method.toUpperCase() + " " + path;
    }
  }

  private static JsonNode openApi;
  private static List<Operation> operations;
  private static long jobsBefore;
  private static long topLevelJobsBefore;
  private static long workflowsBefore;
  private static final Set<String> acceptedJobs = ConcurrentHashMap.newKeySet();
  private static final Map<Integer, AtomicInteger> statuses = new java.util.TreeMap<>();
  private static String apiUrl;
  private static final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeEach
  void readTheApiDocumentAndMakeTheFuzzOwnData() {
    apiUrl = stack.api().url();
    JsonHttp.Response document = new JsonHttp(stack.api().url()).get("/v3/api-docs");
    assertThat(document.status()).as(document.body()).isEqualTo(200);
    openApi = document.json();
    operations = operations(openApi);
    assertThat(operations)
        .extracting(Operation::toString)
        .contains(
            "POST /api/notifications",
            "POST /api/companies/{companyId}/ban",
            "POST /api/companies/{companyId}/unban",
            "POST /api/tenants/{tenantId}/marketplace",
            "POST /api/search/reindex",
            "GET /api/jobs/{jobId}",
            "POST /api/jobs/{jobId}/cancel",
            "GET /api/jobs",
            "GET /api/jobs/stats",
            "POST /webhooks/stripe",
            "POST /webhooks/marketplace");
    sql.update(
        "INSERT INTO tenants (id, name, plan, vehicle_limit) VALUES (?, 'Fuzz', 'basic', 10)"
            + " ON CONFLICT (id) DO NOTHING",
        TENANT);
    sql.update(
        "INSERT INTO companies (id, tenant_id, name, email, status, marketplace_enabled)"
            + " VALUES (?, ?, 'Fuzz Fleet', 'fleet@fuzz.example', 'ACTIVE', true)"
            + " ON CONFLICT (id) DO NOTHING",
        COMPANY,
        TENANT);
    sql.update(
        "INSERT INTO customers (id, tenant_id, email, first_name, birth_date, time_zone)"
            + " VALUES (?, ?, 'fuzzington.customer@fuzz.example', 'Fuzzington', '2001-02-03',"
            + " 'UTC')"
            + " ON CONFLICT (id) DO NOTHING",
        CUSTOMER,
        TENANT);
    jobsBefore = jobs();
    topLevelJobsBefore = topLevelJobs();
    workflowsBefore = workflows();
  }

  @Test
  void noRequestBreaksTheApiAndARefusedOneWritesNothing() {
    long seed = Long.getLong("fuzz.seed", System.nanoTime());
    int requests = Integer.getInteger("fuzz.requests", 3_000);
    Random random = new Random(seed);
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < requests && failures.size() < 10; i++) {
      Operation operation = operations.get(random.nextInt(operations.size()));
      // Half valid tokens, so the fuzz gets past the door; the other half every kind of bad one.
      Token token =
          random.nextBoolean()
              ? Token.VALID
              : Token.values()[random.nextInt(Token.values().length)];
      List<Integer> mutations = new ArrayList<>();
      for (int m = random.nextInt(4); m > 0; m--) {
        mutations.add(random.nextInt(16));
      }
      try {
        oneRequest(operation, token, mutations, random);
      } catch (AssertionError | RuntimeException e) {
        failures.add("request " + i + ": " + e.getMessage());
      }
    }
    System.out.printf("ApiFuzzIT: %d requests, seed %d, statuses %s%n", requests, seed, statuses);
    assertThat(failures).as("seed %d (replay: -Dfuzz.seed=%d)", seed, seed).isEmpty();
    everyWorkflowBelongsToAnAcceptedJob();
  }

  private void oneRequest(
      Operation operation, Token token, List<Integer> mutations, Random random) {
    String path = path(operation, random);
    byte[] body = body(operation, random, mutations);
    Map<String, String> headers = headers(operation, token, body, random);
    // Top-level jobs only: an accepted ban's follow-up (its email) may be added meanwhile.
    long jobs = topLevelJobs();
    long events = webhookEvents();

    HttpResponse<String> response = send(operation.method(), path, body, headers);

    String request = operation.method().toUpperCase() + " " + path + " token=" + token;
    statuses.computeIfAbsent(response.statusCode(), s -> new AtomicInteger()).incrementAndGet();
    assertThat(response.statusCode()).as(request + " → " + response.body()).isLessThan(500);
    if (response.statusCode() >= 400) {
      assertThat(topLevelJobs()).as("ledger rows after refused " + request).isEqualTo(jobs);
      assertThat(webhookEvents()).as("webhook events after refused " + request).isEqualTo(events);
      assertThat(response.headers().firstValue("Content-Type").orElse(""))
          .as("a refusal is problem JSON: " + request + " → " + response.body())
          .startsWith("application/problem+json");
    } else if (response.statusCode() == 202) {
      acceptedJobs.add(jobIdOf(response.body()));
    }
  }

  private void everyWorkflowBelongsToAnAcceptedJob() {
    // Bodies may carry a delaySeconds of up to 999: cancel what still waits, as a person would.
    for (Map<String, Object> waiting :
        sql.rows(
            "SELECT id FROM jobs WHERE status = 'PENDING'"
                + " AND not_before > now() + interval '5 seconds'")) {
      JsonHttp.Response cancelled = api.post("/api/jobs/" + waiting.get("id") + "/cancel", "");
      assertThat(cancelled.status()).as("cancel " + waiting.get("id")).isIn(200, 202);
    }
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                sql.count("SELECT count(*) FROM jobs WHERE status IN ('PENDING', 'PROCESSING')")
                    == 0);
    // The fuzz runs alone: every new job is one it was answered 202 for, or a follow-up of one
    // (a ban's email to the company); each job has its one workflow, and no other was started.
    assertThat(topLevelJobs() - topLevelJobsBefore)
        .as("ledger rows = distinct jobs accepted")
        .isEqualTo(acceptedJobs.size());
    long newJobs = jobs() - jobsBefore;
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(workflows() - workflowsBefore).isEqualTo(newJobs));
  }

  // ------------------------------------------------------------------ what to send

  private static String path(Operation operation, Random random) {
    String path = operation.path();
    for (JsonNode parameter : operation.parameters()) {
      if (parameter.path("in").asText().equals("path")) {
        String name = parameter.path("name").asText();
        path = path.replace("{" + name + "}", pathValue(name, random));
      }
    }
    StringBuilder query = new StringBuilder();
    for (JsonNode parameter : operation.parameters()) {
      if (parameter.path("in").asText().equals("query") && random.nextBoolean()) {
        query.append(query.isEmpty() ? "?" : "&");
        query.append(parameter.path("name").asText()).append('=');
        query.append(encode(scalar(parameter.path("schema"), random)));
      }
    }
    switch (random.nextInt(20)) {
      case 0 -> path = path + "/" + encode(junkString(random));
      case 1 -> path = path.replace("/api/", "/api//");
      case 2 -> path = path + "/..%2F..%2Factuator%2Fprometheus";
      case 3 -> query.append(query.isEmpty() ? "?" : "&").append("unknown=%FF%FE&&=&a[]=1");
      default -> {}
    }
    return path + query;
  }

  private static String pathValue(String name, Random random) {
    String lower = name.toLowerCase();
    return switch (random.nextInt(8)) {
      case 0, 1, 2 ->
          lower.contains("company")
              ? Long.toString(COMPANY)
              : lower.contains("tenant")
                  ? Long.toString(TENANT)
                  : lower.contains("job") && !acceptedJobs.isEmpty()
                      ? acceptedJobs.iterator().next()
                      : java.util.UUID.randomUUID().toString();
      case 3 -> Long.toString(900_000_000L + random.nextInt(1_000_000));
      case 4 ->
          List.of("0", "-1", "9223372036854775807", "99999999999999999999", "1e3")
              .get(random.nextInt(5));
      case 5 -> java.util.UUID.randomUUID().toString();
      default -> encode(junkString(random));
    };
  }

  private static byte[] body(Operation operation, Random random, List<Integer> mutations) {
    if (operation.path().startsWith("/webhooks/")) {
      // Webhooks take any bytes; without a valid signature every one must be refused.
      return random.nextBoolean()
          ? junkJson(random).getBytes(StandardCharsets.UTF_8)
          : ("{\"id\":\"evt_" + random.nextInt() + "\",\"type\":\"payment_intent.succeeded\"}")
              .getBytes(StandardCharsets.UTF_8);
    }
    if (operation.bodySchema() == null) {
      return random.nextInt(10) == 0
          ? junkJson(random).getBytes(StandardCharsets.UTF_8)
          : new byte[0];
    }
    JsonNode value = generate(operation.bodySchema(), random, 0);
    byte[] bytes = null;
    for (int mutation : mutations) {
      if (bytes != null) {
        break;
      }
      Object mutated = mutate(value, mutation, random);
      if (mutated instanceof byte[] raw) {
        bytes = raw;
      } else {
        value = (JsonNode) mutated;
      }
    }
    return bytes != null ? bytes : value.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** One mutation: a JsonNode to keep mutating, or raw bytes that end it. */
  private static Object mutate(JsonNode value, int mutation, Random random) {
    ObjectNode object = value.isObject() ? ((ObjectNode) value).deepCopy() : null;
    List<String> fields = new ArrayList<>();
    if (object != null) {
      object.fieldNames().forEachRemaining(fields::add);
    }
    String field = fields.isEmpty() ? "x" : fields.get(random.nextInt(fields.size()));
    return switch (mutation) {
      case 0 -> object == null ? value : object.without(field);
      case 1 -> object == null ? value : object.put(field, junkString(random));
      case 2 -> object == null ? value : object.put(field, random.nextLong());
      case 3 -> object == null ? value : object.put(field, random.nextBoolean());
      case 4 -> object == null ? value : object.putNull(field);
      case 5 -> object == null ? value : object.set(field, NODES.arrayNode().add(1).add("two"));
      case 6 -> object == null ? value : object.set(field, NODES.objectNode().put("nested", 1));
      case 7 -> object == null ? value : object.put("unexpected" + random.nextInt(9), "field");
      case 8 ->
          object == null ? value : object.put(field, "x".repeat(10_000 + random.nextInt(50_000)));
      case 9 -> object == null ? value : object.put(field, 1e308 * 10);
      case 10 -> {
        String text = value.toString();
        yield text.substring(0, random.nextInt(Math.max(1, text.length())))
            .getBytes(StandardCharsets.UTF_8);
      }
      case 11 -> new byte[] {(byte) 0xC3, (byte) 0x28, '{', '}', (byte) 0xFF};
      case 12 -> ("[".repeat(2_000) + "]".repeat(2_000)).getBytes(StandardCharsets.UTF_8);
      case 13 ->
          value
              .toString()
              .replaceFirst("\\{", "{\"" + field + "\":1,")
              .getBytes(StandardCharsets.UTF_8);
      case 14 -> NODES.arrayNode().add(value);
      default -> "null".equals(value.toString()) ? value : NODES.textNode(value.toString());
    };
  }

  private static Map<String, String> headers(
      Operation operation, Token token, byte[] body, Random random) {
    Map<String, String> headers = new LinkedHashMap<>();
    switch (random.nextInt(12)) {
      case 0 -> {}
      case 1 -> headers.put("Content-Type", "text/plain");
      case 2 -> headers.put("Content-Type", "application/xml");
      case 3 -> headers.put("Content-Type", "multipart/form-data; boundary=x");
      case 4 -> headers.put("Content-Type", "application/json; charset=ISO-8859-1");
      case 5 -> headers.put("Content-Type", "application/x-www-form-urlencoded");
      default -> headers.put("Content-Type", "application/json");
    }
    switch (random.nextInt(10)) {
      case 0 -> headers.put("Idempotency-Key", "fuzz-" + random.nextInt(50));
      case 1 -> headers.put("Idempotency-Key", " ");
      case 2 -> headers.put("Idempotency-Key", "k".repeat(256 + random.nextInt(100)));
      case 3 -> headers.put("Accept", "application/xml");
      case 4 ->
          headers.put(
              "Stripe-Signature",
              "t=" + random.nextInt() + ",v1=" + junkString(random).replaceAll("[^a-z0-9]", ""));
      case 5 -> headers.put("Billion-Signature", "v1=" + Integer.toHexString(random.nextInt()));
      default -> {}
    }
    String key = LocalStack.TOKEN_KEYS.get(random.nextInt(2));
    TriggerToken both =
        TriggerToken.of(TriggerToken.READ + " " + TriggerToken.WRITE, Duration.ofMinutes(5));
    TriggerToken withBody = body.length == 0 ? both : both.withBody(body);
    Instant now = Instant.now();
    String authorization =
        switch (token) {
          case VALID -> "Bearer " + withBody.signedWith(key);
          case READ_ONLY -> "Bearer " + withBody.withScope(TriggerToken.READ).signedWith(key);
          case WRITE_ONLY -> "Bearer " + withBody.withScope(TriggerToken.WRITE).signedWith(key);
          case NO_BODY_CLAIM -> "Bearer " + both.signedWith(key);
          case OTHER_BODY -> "Bearer " + both.withBody("{\"other\":true}").signedWith(key);
          case EXPIRED ->
              "Bearer "
                  + withBody
                      .withValidity(now.minusSeconds(3_600), now.minusSeconds(600))
                      .signedWith(key);
          case NOT_YET_VALID ->
              "Bearer "
                  + withBody
                      .withValidity(now.plusSeconds(600), now.plusSeconds(3_600))
                      .signedWith(key);
          case OTHER_KEY ->
              "Bearer " + withBody.signedWith("fuzz-unknown-key-0123456789abcdef0123456789");
          case OTHER_AUDIENCE -> "Bearer " + withBody.withAudience("elsewhere").signedWith(key);
          case OTHER_ISSUER -> "Bearer " + withBody.withIssuer("elsewhere").signedWith(key);
          // Only what an HTTP client can send in a header: printable ASCII.
          case GARBAGE -> "Bearer x" + junkString(random).replaceAll("[^\\x21-\\x7e]", "");
          case BASIC -> "Basic dXNlcjpwYXNz";
          case NONE -> null;
        };
    if (authorization != null) {
      headers.put("Authorization", authorization);
    }
    return headers;
  }

  // ------------------------------------------------------------------ values from the schema

  private static JsonNode generate(JsonNode schema, Random random, int depth) {
    schema = resolve(schema);
    if (depth > 4) {
      return NODES.nullNode();
    }
    String type = schema.path("type").asText("object");
    if (schema.has("enum")) {
      JsonNode values = schema.path("enum");
      return values.get(random.nextInt(values.size()));
    }
    switch (type) {
      case "object" -> {
        ObjectNode object = NODES.objectNode();
        Iterator<Map.Entry<String, JsonNode>> properties = schema.path("properties").fields();
        Set<String> required = new java.util.HashSet<>();
        schema.path("required").forEach(name -> required.add(name.asText()));
        while (properties.hasNext()) {
          Map.Entry<String, JsonNode> property = properties.next();
          if (required.contains(property.getKey()) || random.nextBoolean()) {
            object.set(
                property.getKey(), value(property.getKey(), property.getValue(), random, depth));
          }
        }
        if (schema.path("additionalProperties").isObject() && random.nextBoolean()) {
          object.set(
              "param" + random.nextInt(30),
              generate(schema.path("additionalProperties"), random, depth + 1));
        }
        return object;
      }
      case "array" -> {
        ArrayNode array = NODES.arrayNode();
        for (int i = random.nextInt(3); i > 0; i--) {
          array.add(generate(schema.path("items"), random, depth + 1));
        }
        return array;
      }
      default -> {
        return JSON.valueToTree(scalarValue(schema, random));
      }
    }
  }

  private static JsonNode value(String name, JsonNode schema, Random random, int depth) {
    String lower = name.toLowerCase();
    if (lower.equals("customerid")) {
      return NODES.numberNode(
          random.nextInt(4) == 0 ? 900_000_000L + random.nextInt(1000) : CUSTOMER);
    }
    if (lower.equals("template") && random.nextBoolean()) {
      return NODES.textNode(
          List.of("welcome", "password_reset", "booking_confirmation", "nope")
              .get(random.nextInt(4)));
    }
    if (lower.equals("scope") && random.nextBoolean()) {
      return NODES.textNode(List.of("vehicles", "companies", "everything").get(random.nextInt(3)));
    }
    return generate(schema, random, depth + 1);
  }

  private static Object scalarValue(JsonNode schema, Random random) {
    return switch (schema.path("type").asText()) {
      case "integer" ->
          List.of(0L, 1L, -1L, Long.MAX_VALUE, (long) random.nextInt(1000), 900_000_000L)
              .get(random.nextInt(6));
      case "number" -> random.nextDouble() * 1e6;
      case "boolean" -> random.nextBoolean();
      default ->
          random.nextInt(3) == 0
              ? junkString(random)
              : "fuzz-" + Integer.toHexString(random.nextInt());
    };
  }

  private static String scalar(JsonNode schema, Random random) {
    return random.nextInt(4) == 0
        ? junkString(random)
        : String.valueOf(scalarValue(resolve(schema), random));
  }

  private static JsonNode resolve(JsonNode schema) {
    if (schema.has("$ref")) {
      String name = schema.path("$ref").asText().replace("#/components/schemas/", "");
      return openApi.path("components").path("schemas").path(name);
    }
    return schema;
  }

  private static String junkString(Random random) {
    return List.of(
            "",
            " ",
            "'; DROP TABLE jobs; --",
            "<script>alert(1)</script>",
            "ñäöü漢字🙂",
            "\u0000\u0001",
            "%s%n%x",
            "../../etc/passwd",
            "${jndi:ldap://x}",
            "9".repeat(400),
            "null",
            "true",
            "-0",
            "1.0e9999",
            "\"quoted\"",
            "a\nb\r\nc")
        .get(random.nextInt(16));
  }

  private static String junkJson(Random random) {
    return List.of(
            "{",
            "}",
            "[]",
            "null",
            "\"text\"",
            "42",
            "{\"a\":",
            "{\"a\":1,\"a\":2}",
            "{}",
            "[{}]",
            "\u0000")
        .get(random.nextInt(11));
  }

  private static String encode(String value) {
    return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  // ------------------------------------------------------------------ plumbing

  private static List<Operation> operations(JsonNode document) {
    List<Operation> found = new ArrayList<>();
    document
        .path("paths")
        .fields()
        .forEachRemaining(
            path ->
                path.getValue()
                    .fields()
                    .forEachRemaining(
                        method -> {
                          if (!METHODS.contains(method.getKey())) {
                            return;
                          }
                          JsonNode content = method.getValue().path("requestBody").path("content");
                          JsonNode schema = null;
                          Iterator<JsonNode> types = content.elements();
                          if (types.hasNext()) {
                            schema = types.next().path("schema");
                          }
                          found.add(
                              new Operation(
                                  method.getKey(),
                                  path.getKey(),
                                  method.getValue().path("parameters"),
                                  schema));
                        }));
    return found;
  }

  private HttpResponse<String> send(
      String method, String path, byte[] body, Map<String, String> headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(apiUrl + path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method.toUpperCase(),
                body.length == 0
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(request::header);
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String jobIdOf(String body) {
    try {
      return JSON.readTree(body).path("jobId").asText();
    } catch (IOException e) {
      throw new UncheckedIOException(body, e);
    }
  }

  /** Jobs that have (or had) a workflow: all but those cancelled before Temporal had them. */
  private long jobs() {
    return sql.count(
        "SELECT count(*) FROM jobs WHERE NOT (status = 'CANCELLED' AND workflow_started_at IS NULL)");
  }

  private long topLevelJobs() {
    return sql.count("SELECT count(*) FROM jobs WHERE parent_job_id IS NULL");
  }

  private long webhookEvents() {
    return sql.count("SELECT count(*) FROM webhook_events");
  }

  private long workflows() {
    return temporalClient().countWorkflows("").getCount();
  }
}
