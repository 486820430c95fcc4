package com.marketplace.jobs.search;

import static org.assertj.core.api.Assertions.assertThat;

import com.marketplace.jobs.batches.BatchLoop;
import com.marketplace.jobs.batches.BatchProperties;
import com.marketplace.jobs.testsupport.MigratedPostgres;
import com.marketplace.jobs.testsupport.SearchNode;
import io.temporal.activity.ActivityOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The re-index activities against a real PostgreSQL (migrated) and a real OpenSearch node: pages by
 * key, documents built per page, published vehicles indexed and unpublished ones removed, every
 * finished batch recorded, and a retry resuming after the last recorded batch.
 */
class SearchReindexActivitiesImplTest {

  private static final long COMPANY = 101;
  private static final int VEHICLES = 250;

  private static MigratedPostgres postgres;
  private static JdbcClient jdbc;

  private final String suffix = Long.toString(System.nanoTime());
  private OpenSearchIndex search;
  private TestActivityEnvironment env;
  private SearchReindexActivities activities;

  @BeforeAll
  static void startDatabase() {
    postgres = MigratedPostgres.start();
    jdbc = postgres.jdbc();
    jdbc.sql("INSERT INTO tenants (id, name, plan, vehicle_limit) VALUES (1, 'Sunny', 'pro', 1000)")
        .update();
    jdbc.sql(
            """
            INSERT INTO companies (id, tenant_id, name, email, status, marketplace_enabled) VALUES
              (101, 1, 'Downtown', 'downtown@example.com', 'ACTIVE', true),
              (102, 1, 'Airport', 'airport@example.com', 'BANNED', false)
            """)
        .update();
    jdbc.sql("INSERT INTO vehicle_models (id, tenant_id, name) VALUES (11, 1, 'Compact')").update();
    // Every tenth unpublished; ids with gaps, so pages go by key, not by offset.
    jdbc.sql(
            """
            INSERT INTO vehicles (id, company_id, model_id, published)
            SELECT 1000 + 3 * n, 101, 11, n % 10 <> 0 FROM generate_series(1, 250) AS n
            """)
        .update();
  }

  @AfterAll
  static void stopDatabase() throws IOException {
    postgres.close();
  }

  @BeforeEach
  void connect() {
    search =
        new OpenSearchIndex(
            new SearchProperties(
                URI.create(SearchNode.url()),
                "vehicles-" + suffix,
                "companies-" + suffix,
                Duration.ofSeconds(10),
                null,
                null));
    env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(
        new SearchReindexActivitiesImpl(
            jdbc,
            new TransactionTemplate(new DataSourceTransactionManager(postgres.dataSource())),
            search,
            new BatchLoop(jdbc, new BatchProperties(50, 100, Duration.ofMillis(250)))));
    activities =
        env.newActivityStub(
            SearchReindexActivities.class,
            ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(1)).build());
  }

  @AfterEach
  void disconnect() {
    env.close();
    search.close();
  }

  private static Set<Long> published() {
    return LongStream.rangeClosed(1, VEHICLES)
        .filter(n -> n % 10 != 0)
        .map(n -> 1000 + 3 * n)
        .boxed()
        .collect(Collectors.toSet());
  }

  private List<Map<String, Object>> batches(String jobId) {
    return jdbc.sql(
            """
            SELECT first_id, last_id, documents, indexed, removed, attempt
              FROM search_reindex_batches WHERE job_id = :job ORDER BY id
            """)
        .param("job", UUID.fromString(jobId))
        .query()
        .listOfRows();
  }

  @Test
  void vehiclesArePagedByKeyAndTheIndexEndsEqualToTheTable() {
    // A stale document of an unpublished vehicle, which the re-index must remove.
    search.indexVehicles(List.of(new VehicleDocument(1030, COMPANY, 1, 11, "Compact", true)));
    String jobId = UUID.randomUUID().toString();
    ReindexRequest start =
        new ReindexRequest(jobId, "vehicles", 0, 0, activities.countRows("vehicles"));
    assertThat(start.total()).isEqualTo(VEHICLES);

    ReindexChunk first = activities.reindexBatches(start, 2);
    assertThat(first).isEqualTo(new ReindexChunk(1000 + 3 * 200, 200, false));
    ReindexChunk rest =
        activities.reindexBatches(
            new ReindexRequest(jobId, "vehicles", first.cursor(), first.completed(), VEHICLES),
            100);
    assertThat(rest).isEqualTo(new ReindexChunk(1000 + 3 * 250, VEHICLES, true));

    search.refresh();
    assertThat(search.vehicleIdsOfCompany(COMPANY)).isEqualTo(published());
    assertThat(batches(jobId))
        .extracting(row -> row.get("first_id"), row -> row.get("last_id"))
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1003L, 1300L),
            org.assertj.core.groups.Tuple.tuple(1303L, 1600L),
            org.assertj.core.groups.Tuple.tuple(1603L, 1750L));
    assertThat(batches(jobId))
        .extracting(row -> row.get("documents"), row -> row.get("removed"))
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(100, 10),
            org.assertj.core.groups.Tuple.tuple(100, 10),
            org.assertj.core.groups.Tuple.tuple(50, 5));
  }

  @Test
  void aRetryResumesAfterTheLastRecordedBatchEvenWhenItsHeartbeatIsBehind() {
    String jobId = UUID.randomUUID().toString();
    activities.reindexBatches(new ReindexRequest(jobId, "vehicles", 0, 0, VEHICLES), 1);

    // A retried attempt whose last heartbeat never reached the server: it starts from the
    // workflow's cursor (0) with no heartbeat details, and must not redo the recorded batch.
    env.setHeartbeatDetails(0L);
    ReindexChunk resumed =
        activities.reindexBatches(new ReindexRequest(jobId, "vehicles", 0, 0, VEHICLES), 100);

    assertThat(resumed).isEqualTo(new ReindexChunk(1750, VEHICLES, true));
    List<Map<String, Object>> batches = batches(jobId);
    assertThat(batches).hasSize(3);
    assertThat(batches).extracting(row -> row.get("first_id")).doesNotHaveDuplicates();
    assertThat(batches.stream().mapToInt(row -> (Integer) row.get("documents")).sum())
        .isEqualTo(VEHICLES);
  }

  @Test
  void aHeartbeatAheadOfTheRecordsIsWhereARetryResumes() {
    String jobId = UUID.randomUUID().toString();
    env.setHeartbeatDetails(1000L + 3 * 200);

    ReindexChunk chunk =
        activities.reindexBatches(new ReindexRequest(jobId, "vehicles", 0, 0, VEHICLES), 100);

    assertThat(chunk.cursor()).isEqualTo(1750);
    assertThat(batches(jobId))
        .extracting(row -> row.get("first_id"), row -> row.get("documents"))
        .containsExactly(org.assertj.core.groups.Tuple.tuple(1603L, 50));
  }

  @Test
  void companiesAreIndexedWithTheirStatus() throws Exception {
    String jobId = UUID.randomUUID().toString();

    ReindexChunk chunk =
        activities.reindexBatches(
            new ReindexRequest(jobId, "companies", 0, 0, activities.countRows("companies")), 100);

    assertThat(chunk).isEqualTo(new ReindexChunk(102, 2, true));
    search.refresh();
    HttpResponse<String> banned =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(SearchNode.url() + "/companies-" + suffix + "/_doc/102"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(banned.body())
        .contains(
            "\"_source\":{\"id\":102,\"tenantId\":1,\"name\":\"Airport\",\"status\":\"BANNED\","
                + "\"marketplaceEnabled\":false}");
  }
}
