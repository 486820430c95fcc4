package com.marketplace.jobs.moderation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.marketplace.jobs.batches.BatchLoop;
import com.marketplace.jobs.batches.BatchProperties;
import com.marketplace.jobs.common.FailureType;
import com.marketplace.jobs.ledger.FollowUpJobs;
import com.marketplace.jobs.ledger.JobMetrics;
import com.marketplace.jobs.notifications.CompanyNoticeRequest;
import com.marketplace.jobs.notifications.EmailTemplate;
import com.marketplace.jobs.search.CompanyDocument;
import com.marketplace.jobs.search.SearchIndex;
import com.marketplace.jobs.search.VehicleDocument;
import com.marketplace.jobs.testsupport.MigratedPostgres;
import com.marketplace.jobs.testsupport.RecordingMarketplace;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.io.IOException;
import java.sql.Connection;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The ban and unban steps against a real PostgreSQL (migrated), with the search index and the
 * marketplace as recording fakes: what each step changes and records, that the restores put back
 * exactly that, that a restored change applied again counts as current, and that a late attempt of
 * a step can change nothing once its run is fenced for the rollback.
 */
class ModerationActivitiesImplTest {

  private static MigratedPostgres postgres;
  private static JdbcClient jdbc;
  private static TransactionTemplate transactions;

  /** A fresh company per test: 30 vehicles (every fifth unpublished by its owner), 12 orders. */
  private long company;

  private final String jobId = UUID.randomUUID().toString();
  private final RecordingSearch search = new RecordingSearch();
  private final RecordingMarketplace marketplace = new RecordingMarketplace();
  private TestActivityEnvironment env;
  private ModerationActivities activities;

  /** A second environment on the same run: its own activity thread, for a concurrent call. */
  private TestActivityEnvironment rollbackEnv;

  private ModerationActivities rollback;

  @BeforeAll
  static void startDatabase() {
    postgres = MigratedPostgres.start();
    jdbc = postgres.jdbc();
    transactions = new TransactionTemplate(new DataSourceTransactionManager(postgres.dataSource()));
    jdbc.sql("INSERT INTO tenants (id, name, plan, vehicle_limit) VALUES (1, 'Sunny', 'pro', 1000)")
        .update();
    jdbc.sql("INSERT INTO vehicle_models (id, tenant_id, name) VALUES (11, 1, 'Compact')").update();
  }

  @AfterAll
  static void stopDatabase() throws IOException {
    postgres.close();
  }

  @BeforeEach
  void seedCompanyAndConnect() {
    company =
        jdbc.sql("SELECT coalesce(max(id), 100) + 1 FROM companies").query(Long.class).single();
    jdbc.sql(
            """
            INSERT INTO companies (id, tenant_id, name, email, status, marketplace_enabled)
            VALUES (:id, 1, 'Company', 'contact@example.com', 'ACTIVE', true)
            """)
        .param("id", company)
        .update();
    jdbc.sql(
            """
            INSERT INTO vehicles (id, company_id, model_id, published)
            SELECT :id * 1000 + n, :id, 11, n % 5 <> 0 FROM generate_series(1, 30) AS n
            """)
        .param("id", company)
        .update();
    jdbc.sql(
            """
            INSERT INTO orders (id, company_id, vehicle_id, status)
            SELECT :id * 1000 + n, :id, :id * 1000 + n,
                   CASE WHEN n <= 9 THEN 'ACTIVE' ELSE 'COMPLETED' END
              FROM generate_series(1, 12) AS n
            """)
        .param("id", company)
        .update();
    ModerationChanges changes =
        new ModerationChanges(
            jdbc,
            new BatchLoop(jdbc, new BatchProperties(50, 100, Duration.ofMillis(250))),
            new BatchProperties(50, 100, Duration.ofMillis(250)),
            transactions,
            () -> "run-1");
    ModerationActivitiesImpl impl =
        new ModerationActivitiesImpl(
            jdbc,
            changes,
            new FollowUpJobs(jdbc, new JobMetrics(new SimpleMeterRegistry())),
            marketplace,
            search);
    env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(impl);
    activities = stub(env);
    rollbackEnv = TestActivityEnvironment.newInstance();
    rollbackEnv.registerActivitiesImplementations(impl);
    rollback = stub(rollbackEnv);
  }

  private static ModerationActivities stub(TestActivityEnvironment env) {
    return env.newActivityStub(
        ModerationActivities.class,
        ActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofMinutes(1))
            .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
            .build());
  }

  @AfterEach
  void disconnect() {
    env.close();
    rollbackEnv.close();
  }

  @Test
  void aBanChangesExactlyThePublishedVehiclesAndActiveOrdersAndTheRestoresPutBackExactlyThat() {
    Snapshot before = snapshot();

    ban();

    assertThat(status()).isEqualTo("BANNED");
    assertThat(snapshot().vehicles()).doesNotContainValue(true);
    assertThat(snapshot().orders().values()).containsOnly("DEACTIVATED", "COMPLETED");
    assertThat(recorded("VEHICLE")).isEqualTo(24);
    assertThat(recorded("ORDER")).isEqualTo(9);
    assertThat(search.removed).isEqualTo(publishedBefore(before));
    assertThat(marketplace.withdrawn).isEqualTo(publishedBefore(before));

    activities.fence(new JobStep(jobId));
    activities.restoreListings(new CompanyStep(jobId, company));
    activities.restoreSearch(new JobStep(jobId));
    activities.restoreOrders(new JobStep(jobId));
    activities.restoreVehicles(new JobStep(jobId));
    activities.restoreCompany(new JobStep(jobId));

    assertThat(snapshot()).isEqualTo(before);
    assertThat(marketplace.listed).isEqualTo(publishedBefore(before));
    assertThat(search.indexed).isEqualTo(publishedBefore(before));
    assertThat(activities.restoredChanges(new JobStep(jobId))).isEqualTo(1 + 24 + 9 + 24 + 24);
  }

  @Test
  void vehiclesHeldBackByThePlanLimitsAreNeitherListedNorIndexedAgainByABansRollback() {
    Snapshot before = snapshot();
    Set<Long> held = Set.of(company * 1000 + 1, company * 1000 + 2);
    jdbc.sql(
            """
            INSERT INTO plan_holdbacks (vehicle_id, tenant_id, company_id)
            SELECT id, 1, :company FROM unnest(CAST(:ids AS bigint[])) AS id
            """)
        .param("company", company)
        .param("ids", held.toArray(Long[]::new))
        .update();

    ban();
    activities.fence(new JobStep(jobId));
    activities.restoreListings(new CompanyStep(jobId, company));
    activities.restoreSearch(new JobStep(jobId));
    activities.restoreVehicles(new JobStep(jobId));
    activities.restoreCompany(new JobStep(jobId));

    Set<Long> expected = new TreeSet<>(publishedBefore(before));
    expected.removeAll(held);
    assertThat(snapshot().vehicles()).isEqualTo(before.vehicles());
    assertThat(marketplace.listed).isEqualTo(expected);
    assertThat(search.indexed).isEqualTo(expected);
  }

  @Test
  void aLateAttemptStuckOnARowLockCommitsBeforeTheFenceAndChangesNothingAfterIt() throws Exception {
    Snapshot before = snapshot();
    activities.changeCompanyStatus(
        new CompanyStatusChange(jobId, company, CompanyStatus.ACTIVE, CompanyStatus.BANNED));
    long lockedVehicle = company * 1000 + 7;
    // Threads of its own: the common pool may have a single thread on a small machine.
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try (Connection holder = postgres.dataSource().getConnection()) {
      holder.setAutoCommit(false);
      holder
          .createStatement()
          .execute("SELECT id FROM vehicles WHERE id = " + lockedVehicle + " FOR UPDATE");

      // The step's attempt: its batch waits for the row lock, holding the run's fence lock shared.
      CompletableFuture<Long> lateAttempt =
          CompletableFuture.supplyAsync(
              () ->
                  activities.unpublishVehicles(
                      new CompanyBatchStep(
                          jobId, company, new BatchProgress("unpublish vehicles", 1, 40))),
              threads);
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () -> {
                if (lateAttempt.isDone()) {
                  lateAttempt.join();
                }
                return waitingForLocks() >= 1;
              });
      // The rollback's fence waits for that batch...
      CompletableFuture<Void> fence =
          CompletableFuture.runAsync(() -> rollback.fence(new JobStep(jobId)), threads);
      await().atMost(Duration.ofSeconds(5)).until(() -> waitingForLocks() >= 2);
      assertThat(fence).isNotDone();

      holder.rollback();
      // ...which commits, recorded, once the lock is gone; then the fence is set, and the
      // attempt's next batch is refused.
      fence.get();
      assertThatThrownBy(lateAttempt::join)
          .hasRootCauseInstanceOf(ApplicationFailure.class)
          .rootCause()
          .satisfies(
              cause ->
                  assertThat(((ApplicationFailure) cause).getType())
                      .isEqualTo(FailureType.FENCED.name()));
      assertThat(recorded("VEHICLE")).isEqualTo(24);
    } finally {
      threads.shutdownNow();
    }
    activities.restoreVehicles(new JobStep(jobId));
    activities.restoreCompany(new JobStep(jobId));
    assertThat(snapshot()).isEqualTo(before);

    // Anything the late attempt would still do is refused, and changes nothing.
    assertThatThrownBy(
            () ->
                activities.unpublishVehicles(
                    new CompanyBatchStep(
                        jobId, company, new BatchProgress("unpublish vehicles", 1, 40))))
        .isInstanceOf(ActivityFailure.class)
        .satisfies(
            failure ->
                assertThat(((ApplicationFailure) failure.getCause()).getType())
                    .isEqualTo(FailureType.FENCED.name()));
    assertThat(activities.withdrawListings(new CompanyStep(jobId, company))).isZero();
    assertThat(snapshot()).isEqualTo(before);
    assertThat(marketplace.withdrawn).isEmpty();
  }

  @Test
  void aChangeRestoredByARollbackIsAppliedAgainAndCountsAsCurrent() {
    ban();
    activities.restoreOrders(new JobStep(jobId));
    activities.restoreVehicles(new JobStep(jobId));
    activities.restoreCompany(new JobStep(jobId));
    assertThat(status()).isEqualTo("ACTIVE");
    assertThat(activities.restoredChanges(new JobStep(jobId))).isEqualTo(1 + 24 + 9);

    // What a run after `temporal workflow reset` does: the steps again.
    activities.changeCompanyStatus(
        new CompanyStatusChange(jobId, company, CompanyStatus.ACTIVE, CompanyStatus.BANNED));
    long vehicles =
        activities.unpublishVehicles(
            new CompanyBatchStep(jobId, company, new BatchProgress("unpublish vehicles", 1, 40)));
    long orders =
        activities.deactivateOrders(
            new CompanyBatchStep(jobId, company, new BatchProgress("deactivate orders", 1, 40)));

    assertThat(status()).isEqualTo("BANNED");
    assertThat(vehicles).isEqualTo(24);
    assertThat(orders).isEqualTo(9);
    assertThat(snapshot().vehicles()).doesNotContainValue(true);
    assertThat(activities.restoredChanges(new JobStep(jobId))).isZero();
    // And the next rollback undoes the changes applied again.
    activities.restoreVehicles(new JobStep(jobId));
    assertThat(snapshot().vehicles().values().stream().filter(published -> published)).hasSize(24);
  }

  @Test
  void aCompanyNoticeIsAcceptedOnceAsAFollowUpJobOfTheBan() {
    jdbc.sql(
            """
            INSERT INTO jobs (id, type, status, priority, workflow_id, workflow_type, task_queue,
                              payload, content_hash)
            VALUES (:id, 'company_ban', 'PROCESSING', 3, :wf, 'CompanyBanWorkflow',
                    'background-jobs', '{}', 'h')
            """)
        .param("id", UUID.fromString(jobId))
        .param("wf", "company_ban-" + jobId)
        .update();
    CompanyNoticeRequest notice =
        CompanyNoticeRequest.of(jobId, company, EmailTemplate.COMPANY_BANNED, "Fraud");

    activities.requestCompanyNotice(notice);
    activities.requestCompanyNotice(notice);

    List<Map<String, Object>> rows =
        jdbc.sql(
                """
                SELECT id, type, status, priority, parent_job_id, company_id, tenant_id,
                       workflow_id, payload::text AS payload
                  FROM jobs WHERE parent_job_id = :parent
                """)
            .param("parent", UUID.fromString(jobId))
            .query()
            .listOfRows();
    assertThat(rows).hasSize(1);
    Map<String, Object> row = rows.get(0);
    assertThat(row.get("id").toString()).isEqualTo(notice.jobId());
    assertThat(row)
        .containsEntry("type", "company_notice")
        .containsEntry("status", "PENDING")
        .containsEntry("company_id", company)
        .containsEntry("tenant_id", 1L)
        .containsEntry("workflow_id", "company_notice-" + notice.jobId());
    assertThat(((Number) row.get("priority")).intValue()).isEqualTo(2);
    assertThat((String) row.get("payload")).contains("\"template\": \"company_banned\"");
  }

  private void ban() {
    activities.changeCompanyStatus(
        new CompanyStatusChange(jobId, company, CompanyStatus.ACTIVE, CompanyStatus.BANNED));
    activities.unpublishVehicles(
        new CompanyBatchStep(jobId, company, new BatchProgress("unpublish vehicles", 1, 40)));
    activities.deactivateOrders(
        new CompanyBatchStep(jobId, company, new BatchProgress("deactivate orders", 25, 40)));
    activities.removeFromSearch(new JobStep(jobId));
    activities.withdrawListings(new CompanyStep(jobId, company));
  }

  private record Snapshot(String status, Map<Long, Boolean> vehicles, Map<Long, String> orders) {}

  private Snapshot snapshot() {
    Map<Long, Boolean> vehicles = new TreeMap<>();
    jdbc.sql("SELECT id, published FROM vehicles WHERE company_id = :id")
        .param("id", company)
        .query(
            rs -> {
              vehicles.put(rs.getLong("id"), rs.getBoolean("published"));
            });
    Map<Long, String> orders = new TreeMap<>();
    jdbc.sql("SELECT id, status FROM orders WHERE company_id = :id")
        .param("id", company)
        .query(
            rs -> {
              orders.put(rs.getLong("id"), rs.getString("status"));
            });
    return new Snapshot(status(), vehicles, orders);
  }

  private static Set<Long> publishedBefore(Snapshot before) {
    Set<Long> ids = new TreeSet<>();
    before
        .vehicles()
        .forEach(
            (id, published) -> {
              if (published) {
                ids.add(id);
              }
            });
    return ids;
  }

  private String status() {
    return jdbc.sql("SELECT status FROM companies WHERE id = :id")
        .param("id", company)
        .query(String.class)
        .single();
  }

  private long recorded(String entity) {
    return jdbc.sql(
            """
            SELECT count(*) FROM moderation_changes
             WHERE job_id = :job AND entity = :entity AND restored_at IS NULL
            """)
        .param("job", UUID.fromString(jobId))
        .param("entity", entity)
        .query(Long.class)
        .single();
  }

  /** Sessions of this database waiting for a lock (a row lock or an advisory lock). */
  private static long waitingForLocks() {
    return jdbc.sql("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
        .query(Long.class)
        .single();
  }

  /** The search index as the steps use it, recording which vehicles were removed and indexed. */
  private static final class RecordingSearch implements SearchIndex {
    final Set<Long> removed = Collections.synchronizedSet(new TreeSet<>());
    final Set<Long> indexed = Collections.synchronizedSet(new TreeSet<>());

    @Override
    public void indexVehicles(List<VehicleDocument> documents) {
      documents.forEach(document -> indexed.add(document.id()));
    }

    @Override
    public void writeVehicles(List<VehicleDocument> documents, List<Long> removedIds) {
      indexVehicles(documents);
      removed.addAll(removedIds);
    }

    @Override
    public void indexCompanies(List<CompanyDocument> documents) {}

    @Override
    public void removeVehicles(List<Long> vehicleIds) {
      removed.addAll(vehicleIds);
    }

    @Override
    public Set<Long> vehicleIdsOfCompany(long companyId) {
      return Set.of();
    }

    @Override
    public void refresh() {}
  }
}
