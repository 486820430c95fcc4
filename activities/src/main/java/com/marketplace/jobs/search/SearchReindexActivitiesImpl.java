package com.marketplace.jobs.search;

import com.marketplace.jobs.batches.BatchLoop;
import com.marketplace.jobs.common.FailureType;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Re-indexes a scope's table page by page: per batch one keyset query builds every document of the
 * page (joins included), one bulk request writes them, and one row in {@code
 * search_reindex_batches} records the finished batch before the cursor is heartbeated. The worker
 * holds one page at a time, so its memory does not grow with the table.
 *
 * <p><b>No stale document outlives a concurrent ban.</b> Each batch is one transaction: the page's
 * vehicle rows are read {@code FOR SHARE}, and the transaction stays open until OpenSearch has
 * taken the page's bulk request (and the batch is recorded). A ban unpublishes a vehicle (its row
 * locked {@code FOR UPDATE}) and only afterwards removes its document, so either the unpublish
 * commits first and this batch reads the vehicle as unpublished (and deletes its document), or the
 * unpublish waits until this batch's write is done, and the ban's later removal deletes what it
 * wrote. A re-index can therefore never write back a document a ban removed; the same holds for an
 * unban's republish and the documents it adds. The lock is held for one bulk request of at most
 * {@value #BATCH_SIZE} documents, and blocks only writers of those rows; bookings and orders (share
 * and key-share locks) do not wait. Companies are not locked: nothing but a re-index writes the
 * companies index, so there is no removal a re-index could undo there.
 */
@Component
public class SearchReindexActivitiesImpl implements SearchReindexActivities {

  /** Rows per batch, and so documents per bulk request (issue 4: batches of 100). */
  public static final int BATCH_SIZE = 100;

  private static final int SIZES_SHOWN = 20;
  private static final Logger log = LoggerFactory.getLogger(SearchReindexActivitiesImpl.class);

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final SearchIndex search;
  private final BatchLoop batches;

  public SearchReindexActivitiesImpl(
      JdbcClient jdbc, TransactionTemplate transactions, SearchIndex search, BatchLoop batches) {
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.search = search;
    this.batches = batches;
  }

  @Override
  public long countRows(String scope) {
    String table = scopeOf(scope) == SearchScope.VEHICLES ? "vehicles" : "companies";
    return jdbc.sql("SELECT count(*) FROM " + table).query(Long.class).single();
  }

  /**
   * One page of a scope's table: its key range, how many documents it indexes and removes, and the
   * one bulk request that writes them.
   */
  private record Page(long firstId, long lastId, int indexed, int removed, Runnable write) {
    static final Page EMPTY = new Page(-1, -1, 0, 0, () -> {});

    int size() {
      return indexed + removed;
    }
  }

  /** Where a job stands by its batch records. */
  private record Recorded(long lastId, long documents) {}

  @Override
  public ReindexChunk reindexBatches(ReindexRequest request, int maxBatches) {
    SearchScope scope = scopeOf(request.scope());
    UUID job = UUID.fromString(request.jobId());
    ActivityExecutionContext context = Activity.getExecutionContext();
    Recorded recorded = recorded(job);
    long heartbeat = context.getHeartbeatDetails(Long.class).orElse(0L);
    long cursor = Math.max(request.cursor(), Math.max(heartbeat, recorded.lastId()));
    long completed = Math.max(request.completed(), recorded.documents());
    int attempt = context.getInfo().getAttempt();
    String workflowId = context.getInfo().getWorkflowId();
    String step = "index " + scope.id();
    List<Integer> sizes = new ArrayList<>();
    for (int batch = 0; batch < maxBatches; batch++) {
      long started = System.nanoTime();
      long after = cursor;
      // One transaction per batch: the rows read (vehicles: FOR SHARE) stay locked until the bulk
      // request is done, so a concurrent ban's unpublish of them waits for this write, and its
      // removal of their documents comes after it (see the class comment).
      Page page =
          transactions.execute(
              tx -> {
                // A ban's batch holds its rows briefly; never wait for one past the heartbeat's
                // reach (the attempt then fails and is retried from its cursor).
                jdbc.sql("SELECT set_config('lock_timeout', '10s', true)").query().singleValue();
                Page read = scope == SearchScope.VEHICLES ? vehicles(after) : companies(after);
                if (read.size() > 0) {
                  read.write().run();
                  // Recorded before the heartbeat: the SDK throttles heartbeats, so the last ones
                  // may never reach the server before a crash; the record commits with the batch,
                  // and a retry resumes after it. (A crash between the bulk and the commit redoes
                  // that one batch, which is idempotent.)
                  record(job, scope, read, attempt, (System.nanoTime() - started) / 1_000_000);
                }
                return read;
              });
      if (page.size() == 0) {
        log.info("job {}: re-index of {} finished, {} rows", job, scope.id(), completed);
        return new ReindexChunk(cursor, completed, true);
      }
      cursor = page.lastId();
      completed += page.size();
      context.heartbeat(cursor);
      sizes.add(page.size());
      if (sizes.size() > SIZES_SHOWN) {
        sizes.remove(0);
      }
      batches.reportProgress(workflowId, step, completed, request.total(), sizes);
    }
    log.info("job {}: {} rows of {} re-indexed, up to id {}", job, completed, scope.id(), cursor);
    return new ReindexChunk(cursor, completed, false);
  }

  /**
   * The next page of vehicles after {@code after}: published ones indexed, the others (and those
   * held back by the plan-limit checks) removed. Their rows are locked {@code FOR SHARE} until the
   * caller's transaction ends: call it in the transaction that writes the page.
   */
  private Page vehicles(long after) {
    List<VehicleDocument> indexed = new ArrayList<>(BATCH_SIZE);
    List<Long> removed = new ArrayList<>();
    long[] range = {-1, -1};
    jdbc.sql(
            """
            SELECT v.id, v.company_id, c.tenant_id, v.model_id, m.name AS model_name,
                   v.published
                     AND NOT EXISTS (SELECT 1 FROM plan_holdbacks h WHERE h.vehicle_id = v.id)
                     AS published
              FROM vehicles v
              JOIN companies c ON c.id = v.company_id
              JOIN vehicle_models m ON m.id = v.model_id
             WHERE v.id > :after
             ORDER BY v.id
             LIMIT :size
               FOR SHARE OF v
            """)
        .param("after", after)
        .param("size", BATCH_SIZE)
        .query(
            rs -> {
              long id = rs.getLong("id");
              if (range[0] < 0) {
                range[0] = id;
              }
              range[1] = id;
              if (rs.getBoolean("published")) {
                indexed.add(
                    new VehicleDocument(
                        id,
                        rs.getLong("company_id"),
                        rs.getLong("tenant_id"),
                        rs.getLong("model_id"),
                        rs.getString("model_name"),
                        true));
              } else {
                removed.add(id);
              }
            });
    if (range[0] < 0) {
      return Page.EMPTY;
    }
    return new Page(
        range[0],
        range[1],
        indexed.size(),
        removed.size(),
        () -> search.writeVehicles(indexed, removed));
  }

  /** The next page of companies after {@code after}, every one indexed with its status. */
  private Page companies(long after) {
    List<CompanyDocument> indexed =
        jdbc.sql(
                """
                SELECT id, tenant_id, name, status, marketplace_enabled FROM companies
                 WHERE id > :after ORDER BY id LIMIT :size
                """)
            .param("after", after)
            .param("size", BATCH_SIZE)
            .query(
                (rs, row) ->
                    new CompanyDocument(
                        rs.getLong("id"),
                        rs.getLong("tenant_id"),
                        rs.getString("name"),
                        rs.getString("status"),
                        rs.getBoolean("marketplace_enabled")))
            .list();
    if (indexed.isEmpty()) {
      return Page.EMPTY;
    }
    return new Page(
        indexed.get(0).id(),
        indexed.get(indexed.size() - 1).id(),
        indexed.size(),
        0,
        () -> search.indexCompanies(indexed));
  }

  private void record(UUID job, SearchScope scope, Page page, int attempt, long tookMillis) {
    jdbc.sql(
            """
            INSERT INTO search_reindex_batches
              (job_id, scope, first_id, last_id, documents, indexed, removed, attempt, took_ms)
            VALUES (:job, :scope, :first, :last, :documents, :indexed, :removed, :attempt, :took)
            """)
        .param("job", job)
        .param("scope", scope.id())
        .param("first", page.firstId())
        .param("last", page.lastId())
        .param("documents", page.size())
        .param("indexed", page.indexed())
        .param("removed", page.removed())
        .param("attempt", attempt)
        .param("took", (int) Math.min(Integer.MAX_VALUE, tookMillis))
        .update();
  }

  private Recorded recorded(UUID job) {
    return jdbc.sql(
            """
            SELECT coalesce(max(last_id), 0) AS last_id, coalesce(sum(documents), 0) AS documents
              FROM search_reindex_batches WHERE job_id = :job
            """)
        .param("job", job)
        .query((rs, row) -> new Recorded(rs.getLong("last_id"), rs.getLong("documents")))
        .single();
  }

  private static SearchScope scopeOf(String scope) {
    return SearchScope.byId(scope)
        .orElseThrow(
            () ->
                ApplicationFailure.newNonRetryableFailure(
                    "unknown search scope '" + scope + "'", FailureType.INVALID_INPUT.name()));
  }
}
