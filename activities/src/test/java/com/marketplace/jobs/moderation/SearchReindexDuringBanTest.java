package com.marketplace.jobs.moderation;

import static org.assertj.core.api.Assertions.assertThat;

import com.marketplace.jobs.batches.BatchLoop;
import com.marketplace.jobs.batches.BatchProperties;
import com.marketplace.jobs.search.CompanyDocument;
import com.marketplace.jobs.search.OpenSearchIndex;
import com.marketplace.jobs.search.ReindexRequest;
import com.marketplace.jobs.search.SearchIndex;
import com.marketplace.jobs.search.SearchProperties;
import com.marketplace.jobs.search.SearchReindexActivities;
import com.marketplace.jobs.search.SearchReindexActivitiesImpl;
import com.marketplace.jobs.search.VehicleDocument;
import com.marketplace.jobs.testsupport.MigratedPostgres;
import com.marketplace.jobs.testsupport.SearchNode;
import io.temporal.activity.ActivityOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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
 * A search re-index batch racing a ban (or an unban) of a company whose vehicles it is writing,
 * against a real PostgreSQL and a real OpenSearch node, with the real re-index and ban steps
 * ({@link SearchReindexActivitiesImpl}, {@link ModerationActivitiesImpl}). The interleaving is
 * forced: the re-index has read its page and stops just before its bulk request; the ban's
 * unpublish and search-removal steps then run from another thread; only once the ban waits on a row
 * lock (or has finished) does the re-index write. At the end the index must agree with the ban.
 */
class SearchReindexDuringBanTest {

  private static final long BANNED = 101;
  private static final long BYSTANDER = 102;
  private static final long UNBANNED = 103;
  private static final int FLEET = 30;

  private static MigratedPostgres postgres;
  private static JdbcClient jdbc;
  private static TransactionTemplate transactions;

  private final String suffix = Long.toString(System.nanoTime());
  private final ExecutorService threads = Executors.newFixedThreadPool(2);
  private OpenSearchIndex search;
  private PausingSearchIndex pausing;
  private TestActivityEnvironment reindexEnv;
  private TestActivityEnvironment moderationEnv;
  private SearchReindexActivities reindex;
  private ModerationActivities moderation;

  @BeforeAll
  static void startDatabase() {
    postgres = MigratedPostgres.start();
    jdbc = postgres.jdbc();
    transactions = new TransactionTemplate(new DataSourceTransactionManager(postgres.dataSource()));
    jdbc.sql("INSERT INTO tenants (id, name, plan, vehicle_limit) VALUES (1, 'Sunny', 'pro', 1000)")
        .update();
    jdbc.sql(
            """
            INSERT INTO companies (id, tenant_id, name, email, status, marketplace_enabled) VALUES
              (101, 1, 'Banned', 'banned@example.com', 'ACTIVE', false),
              (102, 1, 'Bystander', 'bystander@example.com', 'ACTIVE', false),
              (103, 1, 'Unbanned', 'unbanned@example.com', 'ACTIVE', false)
            """)
        .update();
    jdbc.sql("INSERT INTO vehicle_models (id, tenant_id, name) VALUES (11, 1, 'Compact')").update();
    // Vehicle ids company * 100 + 1..30: all three companies in the re-index's first page of 100.
    jdbc.sql(
            """
            INSERT INTO vehicles (id, company_id, model_id, published)
            SELECT c * 100 + n, c, 11, true
              FROM unnest(ARRAY[101, 102, 103]) AS c, generate_series(1, 30) AS n
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
    pausing = new PausingSearchIndex(search);
    BatchLoop batches = new BatchLoop(jdbc, new BatchProperties(50, 100, Duration.ofMillis(250)));
    ActivityOptions options =
        ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(1)).build();
    reindexEnv = TestActivityEnvironment.newInstance();
    reindexEnv.registerActivitiesImplementations(
        new SearchReindexActivitiesImpl(jdbc, transactions, pausing, batches));
    reindex = reindexEnv.newActivityStub(SearchReindexActivities.class, options);
    moderationEnv = TestActivityEnvironment.newInstance();
    // No marketplace and no follow-up jobs: only the row and search-index steps run here.
    moderationEnv.registerActivitiesImplementations(
        new ModerationActivitiesImpl(
            jdbc,
            new ModerationChanges(
                jdbc,
                batches,
                new BatchProperties(50, 100, Duration.ofMillis(250)),
                transactions,
                () -> "run-1"),
            null,
            null,
            search));
    moderation = moderationEnv.newActivityStub(ModerationActivities.class, options);
  }

  @AfterEach
  void disconnect() {
    pausing.proceed.countDown();
    threads.shutdownNow();
    reindexEnv.close();
    moderationEnv.close();
    search.close();
  }

  private static List<VehicleDocument> documents(long company) {
    return vehicleIds(company).stream()
        .map(id -> new VehicleDocument(id, company, 1, 11, "Compact", true))
        .toList();
  }

  private static Set<Long> vehicleIds(long company) {
    return LongStream.rangeClosed(1, FLEET)
        .map(n -> company * 100 + n)
        .boxed()
        .collect(Collectors.toSet());
  }

  private void ban(String banJob, long company) {
    moderation.unpublishVehicles(
        new CompanyBatchStep(banJob, company, new BatchProgress("unpublish", 0, FLEET)));
    moderation.removeFromSearch(new JobStep(banJob));
  }

  /** One re-index batch that stops before its bulk request until {@code pausing} lets it go. */
  private Future<?> reindexFirstPage() throws InterruptedException {
    String job = UUID.randomUUID().toString();
    Future<?> reindexing =
        threads.submit(
            () -> reindex.reindexBatches(new ReindexRequest(job, "vehicles", 0, 0, 90), 1));
    assertThat(pausing.writing.await(30, TimeUnit.SECONDS))
        .as("the re-index reached its write")
        .isTrue();
    return reindexing;
  }

  /**
   * Waits until {@code task} waits on a lock in PostgreSQL, or has finished (it did not need to
   * wait), then lets the paused re-index write.
   */
  private void letTheReindexWriteOnceBlockedOrDone(Future<?> task) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!task.isDone() && System.nanoTime() < deadline) {
      long waiting =
          jdbc.sql("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
              .query(Long.class)
              .single();
      if (waiting > 0) {
        break;
      }
      Thread.sleep(20);
    }
    pausing.proceed.countDown();
  }

  @Test
  void aBanRacingAReindexBatchLeavesNoDocumentOfTheBannedCompany() throws Exception {
    search.indexVehicles(documents(BANNED));
    search.indexVehicles(documents(BYSTANDER));
    search.refresh();
    assertThat(search.vehicleIdsOfCompany(BANNED)).hasSize(FLEET);

    // The re-index has read the banned company's vehicles as published and is about to write.
    Future<?> reindexing = reindexFirstPage();
    Future<?> banning = threads.submit(() -> ban(UUID.randomUUID().toString(), BANNED));
    letTheReindexWriteOnceBlockedOrDone(banning);
    reindexing.get(30, TimeUnit.SECONDS);
    banning.get(30, TimeUnit.SECONDS);

    search.refresh();
    assertThat(search.vehicleIdsOfCompany(BANNED)).as("documents of the banned company").isEmpty();
    assertThat(search.vehicleIdsOfCompany(BYSTANDER)).isEqualTo(vehicleIds(BYSTANDER));
    assertThat(
            jdbc.sql("SELECT count(*) FROM vehicles WHERE company_id = :c AND published")
                .param("c", BANNED)
                .query(Long.class)
                .single())
        .isZero();
  }

  @Test
  void anUnbanRacingAReindexBatchLeavesEveryDocumentOfTheCompany() throws Exception {
    search.indexVehicles(documents(UNBANNED));
    String banJob = UUID.randomUUID().toString();
    ban(banJob, UNBANNED);
    search.refresh();
    assertThat(search.vehicleIdsOfCompany(UNBANNED)).isEmpty();

    // The re-index has read the company's vehicles as unpublished and is about to delete them.
    Future<?> reindexing = reindexFirstPage();
    String unbanJob = UUID.randomUUID().toString();
    Future<?> unbanning =
        threads.submit(
            () -> {
              moderation.republishVehicles(
                  new BanReversalStep(unbanJob, banJob, new BatchProgress("republish", 0, FLEET)));
              moderation.addToSearch(new JobStep(unbanJob));
            });
    letTheReindexWriteOnceBlockedOrDone(unbanning);
    reindexing.get(30, TimeUnit.SECONDS);
    unbanning.get(30, TimeUnit.SECONDS);

    search.refresh();
    assertThat(search.vehicleIdsOfCompany(UNBANNED)).isEqualTo(vehicleIds(UNBANNED));
  }

  /** The real index, with a pause before the re-index's bulk write of a page. */
  private static final class PausingSearchIndex implements SearchIndex {

    final CountDownLatch writing = new CountDownLatch(1);
    final CountDownLatch proceed = new CountDownLatch(1);
    private final SearchIndex delegate;

    PausingSearchIndex(SearchIndex delegate) {
      this.delegate = delegate;
    }

    @Override
    public void writeVehicles(List<VehicleDocument> documents, List<Long> removedIds) {
      writing.countDown();
      try {
        if (!proceed.await(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException("the test never let the re-index write");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      delegate.writeVehicles(documents, removedIds);
    }

    @Override
    public void indexVehicles(List<VehicleDocument> documents) {
      delegate.indexVehicles(documents);
    }

    @Override
    public void indexCompanies(List<CompanyDocument> documents) {
      delegate.indexCompanies(documents);
    }

    @Override
    public void removeVehicles(List<Long> vehicleIds) {
      delegate.removeVehicles(vehicleIds);
    }

    @Override
    public Set<Long> vehicleIdsOfCompany(long companyId) {
      return delegate.vehicleIdsOfCompany(companyId);
    }

    @Override
    public void refresh() {
      delegate.refresh();
    }
  }
}
