package com.marketplace.jobs.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.marketplace.jobs.devstack.DemoData;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Bulk search re-index through HTTP, with the real dev server, PostgreSQL and OpenSearch: 100,000
 * vehicles with the worker killed in the middle, the companies scope, and the refusals.
 */
class SearchReindexIT extends StackTest {

  private static final long FLEET = 900;
  private static final int FLEET_SIZE = 100_000;

  /** A demo vehicle of company 101 that its owner unpublished (every tenth one). */
  private static final long UNPUBLISHED = 100_010;

  @Test
  void aReindexOf100000VehiclesSurvivesTheWorkerBeingKilledAndRedoesNoFinishedBatch() {
    DemoData.seedFleet(stack.database().dataSource(), FLEET, FLEET_SIZE);
    JsonHttp search = new JsonHttp(stack.search().url());
    // A stale document the re-index must remove: the vehicle's row says unpublished.
    assertThat(
            search
                .post(
                    "/vehicles/_doc/" + UNPUBLISHED,
                    """
                    {"id": %d, "companyId": 101, "tenantId": 1, "modelId": 11,
                     "modelName": "Compact", "published": true}"""
                        .formatted(UNPUBLISHED))
                .status())
        .isIn(200, 201);
    long vehicles = sql.count("SELECT count(*) FROM vehicles");
    long published = sql.count("SELECT count(*) FROM vehicles WHERE published");
    assertThat(indexedOfCompany(FLEET)).isZero();

    JsonHttp.Response accepted = api.post("/api/search/reindex", "{\"scope\": \"vehicles\"}");
    assertThat(accepted.status()).isEqualTo(202);
    String jobId = accepted.json().path("jobId").asText();
    assertThat(accepted.json().path("workflowId").asText()).isEqualTo("search_reindex-" + jobId);

    JsonHttp.Response second = api.post("/api/search/reindex", "{\"scope\": \"vehicles\"}");
    assertThat(second.status()).isEqualTo(409);
    assertThat(second.header("Content-Type")).startsWith("application/problem+json");
    assertThat(second.json().path("jobId").asText()).isEqualTo(jobId);

    // Mid-way through an activity call (each does 10,000 rows), not at its end.
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> completed(jobId) >= 35_000);
    stack.worker().kill();
    long completedAtKill = completed(jobId);
    assertThat(completedAtKill).isLessThan(vehicles);
    assertThat(jobRow(jobId).get("status")).isEqualTo("PROCESSING");
    stack.worker().start().awaitHealthy(Duration.ofMinutes(2));

    JsonNode done = awaitFinished(jobId, Duration.ofMinutes(5));
    assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("COMPLETED");
    assertThat(done.path("progress").path("completed").asLong()).isEqualTo(vehicles);
    assertThat(done.path("progress").path("total").asLong()).isEqualTo(vehicles);

    // Every document present once: ids are vehicle ids, so equal counts mean none is missing and
    // none is extra; the stale one is gone.
    search.post("/vehicles/_refresh", "");
    assertThat(indexedOfCompany(FLEET)).isEqualTo(FLEET_SIZE);
    assertThat(search.get("/vehicles/_count").json().path("count").asLong()).isEqualTo(published);
    assertThat(search.get("/vehicles/_doc/" + UNPUBLISHED).status()).isEqualTo(404);

    // The batch records: one per batch of 100, none redone, together covering every row once.
    List<Map<String, Object>> batches =
        sql.rows(
            """
            SELECT first_id, last_id, documents, attempt FROM search_reindex_batches
             WHERE job_id = ?::uuid ORDER BY first_id
            """,
            jobId);
    assertThat(batches).hasSize((int) ((vehicles + 99) / 100));
    assertThat(batches).extracting(row -> row.get("first_id")).doesNotHaveDuplicates();
    for (int i = 1; i < batches.size(); i++) {
      assertThat((Long) batches.get(i).get("first_id"))
          .as("batch %d starts after the one before ends", i)
          .isGreaterThan((Long) batches.get(i - 1).get("last_id"));
    }
    assertThat(batches.stream().mapToLong(row -> ((Number) row.get("documents")).longValue()).sum())
        .isEqualTo(vehicles);
    // The activity call the kill interrupted was retried (attempt 2) and went on from its last
    // finished batch: its batches follow the first attempt's with no overlap (checked above).
    assertThat(batches).extracting(row -> row.get("attempt")).contains(2);

    // The workflow's own progress query agrees (answered by the last run, replayed).
    JsonNode progress =
        temporalClient()
            .newUntypedWorkflowStub("search_reindex-" + jobId)
            .query("progress", JsonNode.class);
    assertThat(progress.path("completed").asLong()).isEqualTo(vehicles);
    assertThat(progress.path("total").asLong()).isEqualTo(vehicles);
  }

  @Test
  void aReindexOfTheCompaniesIndexesEveryCompanyWithItsStatus() {
    long companies = sql.count("SELECT count(*) FROM companies");
    String jobId =
        api.post("/api/search/reindex", "{\"scope\": \"companies\"}").json().path("jobId").asText();

    JsonNode done = awaitFinished(jobId, Duration.ofSeconds(60));

    assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("COMPLETED");
    assertThat(done.path("progress").path("completed").asLong()).isEqualTo(companies);
    JsonHttp search = new JsonHttp(stack.search().url());
    search.post("/companies/_refresh", "");
    assertThat(search.get("/companies/_count").json().path("count").asLong()).isEqualTo(companies);
    JsonNode company = search.get("/companies/_doc/101").json().path("_source");
    assertThat(company.path("name").asText()).isEqualTo("Sunny Rentals Downtown");
    assertThat(company.path("status").asText()).isEqualTo("ACTIVE");

    // Finished, the same request is a new re-index, not the old job replayed.
    JsonHttp.Response again = api.post("/api/search/reindex", "{\"scope\": \"companies\"}");
    assertThat(again.status()).isEqualTo(202);
    assertThat(again.json().path("jobId").asText()).isNotEqualTo(jobId);
    assertThat(
            awaitFinished(again.json().path("jobId").asText(), Duration.ofSeconds(60))
                .path("status")
                .asText())
        .isEqualTo("COMPLETED");
  }

  @Test
  void badInputIs400NamingTheFieldAndWritesNothing() {
    long jobsBefore = sql.count("SELECT count(*) FROM jobs");

    for (String body : new String[] {"{\"scope\": \"orders\"}", "{}", ""}) {
      JsonHttp.Response refused = api.post("/api/search/reindex", body);
      assertThat(refused.status()).as(body).isEqualTo(400);
      assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
      assertThat(refused.json().path("errors").get(0).path("field").asText()).isEqualTo("scope");
    }
    JsonHttp.Response malformed = api.post("/api/search/reindex", "{\"scope\": ");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.header("Content-Type")).startsWith("application/problem+json");

    assertThat(sql.count("SELECT count(*) FROM jobs")).isEqualTo(jobsBefore);
  }

  private long completed(String jobId) {
    return api.get("/api/jobs/" + jobId).json().path("progress").path("completed").asLong();
  }

  private long indexedOfCompany(long company) {
    JsonHttp search = new JsonHttp(stack.search().url());
    search.post("/vehicles/_refresh", "");
    return search.get("/vehicles/_count?q=companyId:" + company).json().path("count").asLong();
  }
}
