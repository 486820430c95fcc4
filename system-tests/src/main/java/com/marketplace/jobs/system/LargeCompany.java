package com.marketplace.jobs.system;

import com.marketplace.jobs.devstack.LocalStack;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

/**
 * A company of tenant 1 with {@code size} published vehicles and as many ACTIVE orders, on the
 * marketplace (its vehicles listed on the fake) and in the search index: the data of the large-ban
 * test and benchmark. Ids start at {@code companyId * 10_000 + 1} rounded up to keep them apart
 * from the demo data.
 */
public record LargeCompany(long companyId, long firstId, int size) {

  public static LargeCompany of(long companyId, int size) {
    return new LargeCompany(companyId, companyId * 10_000 + 1, size);
  }

  public List<Long> vehicleIds() {
    return LongStream.range(firstId, firstId + size).boxed().toList();
  }

  public LargeCompany create(LocalStack stack, Sql sql) {
    sql.update(
        "INSERT INTO companies (id, tenant_id, name, email, status, marketplace_enabled)"
            + " VALUES (?, 1, 'Large Fleet ' || ?, 'fleet-' || ? || '@large.example', 'ACTIVE',"
            + " true)",
        companyId,
        companyId,
        companyId);
    sql.update(
        "INSERT INTO vehicles (id, company_id, model_id, published)"
            + " SELECT ? + n, ?, 11, true FROM generate_series(0, ? - 1) AS n",
        firstId,
        companyId,
        size);
    sql.update(
        "INSERT INTO orders (id, company_id, vehicle_id, status)"
            + " SELECT ? + n, ?, ? + n, 'ACTIVE' FROM generate_series(0, ? - 1) AS n",
        firstId,
        companyId,
        firstId,
        size);
    stack.marketplace().seed(companyId, vehicleIds());
    StringBuilder bulk = new StringBuilder();
    for (long id : vehicleIds()) {
      bulk.append("{\"index\":{\"_id\":\"").append(id).append("\"}}\n");
      bulk.append("{\"id\":").append(id).append(",\"companyId\":").append(companyId);
      bulk.append(",\"tenantId\":1,\"modelId\":11,\"modelName\":\"Compact\",\"published\":true}\n");
    }
    JsonHttp.Response indexed =
        new JsonHttp(stack.search().url())
            .post(
                "/vehicles/_bulk?refresh=true",
                bulk.toString(),
                Map.of("Content-Type", "application/x-ndjson"));
    if (indexed.status() != 200 || indexed.json().path("errors").asBoolean()) {
      throw new IllegalStateException("could not index the large company: " + indexed.status());
    }
    return this;
  }

  /**
   * Removes the company, its rows, its documents in the search index and what jobs recorded about
   * it, so later tests (the re-index's document counts) see the demo data only.
   */
  public void delete(LocalStack stack, Sql sql) {
    // A job may still be writing a document of the company (a late attempt of a terminated
    // ban): delete what is there, conflicts or not, until none is left.
    JsonHttp search = new JsonHttp(stack.search().url());
    String query = "{\"query\": {\"term\": {\"companyId\": " + companyId + "}}}";
    for (int round = 1; ; round++) {
      JsonHttp.Response removed =
          search.post("/vehicles/_delete_by_query?refresh=true&conflicts=proceed", query);
      long left = search.post("/vehicles/_count", query).json().path("count").asLong(-1);
      if (removed.status() == 200 && left == 0) {
        break;
      }
      if (round == 10) {
        throw new IllegalStateException(
            "could not remove the large company's documents: " + removed.status());
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    sql.update(
        "DELETE FROM moderation_changes WHERE job_id IN (SELECT id FROM jobs WHERE company_id = ?)",
        companyId);
    sql.update("DELETE FROM orders WHERE company_id = ?", companyId);
    sql.update("DELETE FROM vehicles WHERE company_id = ?", companyId);
    sql.update("DELETE FROM email_deliveries WHERE company_id = ?", companyId);
    sql.update("DELETE FROM companies WHERE id = ?", companyId);
  }
}
