package com.marketplace.jobs.moderation;

import static org.assertj.core.api.Assertions.assertThat;

import com.marketplace.jobs.batches.BatchLoop;
import com.marketplace.jobs.batches.BatchProperties;
import com.marketplace.jobs.testsupport.MigratedPostgres;
import com.marketplace.jobs.testsupport.RecordingMarketplace;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The marketplace toggle's steps against a real PostgreSQL (migrated), the marketplace as a
 * recording fake: only what differs is switched and recorded, listings follow the switched active
 * companies' published vehicles (never one Billion took down), the restores put back exactly what
 * was recorded, and a restored change applied again counts as current.
 */
class TenantMarketplaceActivitiesImplTest {

  private static MigratedPostgres postgres;
  private static JdbcClient jdbc;
  private static TransactionTemplate transactions;

  /** A fresh tenant per test: 2 companies (one on, one off), 2 models (one on, one off). */
  private long tenant;

  private long companyOn;
  private long companyOff;
  private final String jobId = UUID.randomUUID().toString();
  private final RecordingMarketplace marketplace = new RecordingMarketplace();
  private TestActivityEnvironment env;
  private TenantMarketplaceActivities activities;

  @BeforeAll
  static void startDatabase() {
    postgres = MigratedPostgres.start();
    jdbc = postgres.jdbc();
    transactions = new TransactionTemplate(new DataSourceTransactionManager(postgres.dataSource()));
  }

  @AfterAll
  static void stopDatabase() throws IOException {
    postgres.close();
  }

  @BeforeEach
  void seedTenantAndConnect() {
    tenant = jdbc.sql("SELECT coalesce(max(id), 0) + 1 FROM tenants").query(Long.class).single();
    companyOn = tenant * 100 + 1;
    companyOff = tenant * 100 + 2;
    jdbc.sql("INSERT INTO tenants (id, name, plan, vehicle_limit) VALUES (:t, 'T', 'pro', 100)")
        .param("t", tenant)
        .update();
    jdbc.sql(
            """
            INSERT INTO companies (id, tenant_id, name, email, status, marketplace_enabled) VALUES
              (:on, :t, 'On', 'on@example.com', 'ACTIVE', true),
              (:off, :t, 'Off', 'off@example.com', 'ACTIVE', false)
            """)
        .param("on", companyOn)
        .param("off", companyOff)
        .param("t", tenant)
        .update();
    jdbc.sql(
            """
            INSERT INTO vehicle_models (id, tenant_id, name, marketplace_enabled) VALUES
              (:t * 10 + 1, :t, 'Compact', true), (:t * 10 + 2, :t, 'Van', false)
            """)
        .param("t", tenant)
        .update();
    // 5 vehicles each: the third unpublished; on the "on" company the fourth taken down by Billion.
    jdbc.sql(
            """
            INSERT INTO vehicles (id, company_id, model_id, published, marketplace_removed_at)
            SELECT c * 1000 + n, c, :t * 10 + 1, n <> 3,
                   CASE WHEN c = :on AND n = 4 THEN now() END
              FROM unnest(ARRAY[:on, :off]) AS c, generate_series(1, 5) AS n
            """)
        .param("t", tenant)
        .param("on", companyOn)
        .param("off", companyOff)
        .update();
    ModerationChanges changes =
        new ModerationChanges(
            jdbc,
            new BatchLoop(jdbc, new BatchProperties(50, 100, Duration.ofMillis(250))),
            new BatchProperties(50, 100, Duration.ofMillis(250)),
            transactions,
            () -> "run-1");
    env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(
        new TenantMarketplaceActivitiesImpl(jdbc, changes, marketplace));
    activities =
        env.newActivityStub(
            TenantMarketplaceActivities.class,
            ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(1))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                .build());
  }

  @AfterEach
  void disconnect() {
    env.close();
  }

  @Test
  void enablingSwitchesOnlyWhatWasOffListsItsPublishedVehiclesAndTheRestoresUndoExactlyThat() {
    Map<String, Boolean> before = flags();
    ToggleStep enable = step(true);

    assertThat(activities.countToggleScope(enable)).isEqualTo(new ToggleScope(1, 1, 4));
    assertThat(activities.switchCompanies(enable)).isEqualTo(1);
    assertThat(activities.switchModels(enable)).isEqualTo(1);
    assertThat(activities.updateListings(enable)).isEqualTo(4);

    assertThat(flags()).doesNotContainValue(false);
    assertThat(marketplace.listed)
        .containsExactly(
            companyOff * 1000 + 1,
            companyOff * 1000 + 2,
            companyOff * 1000 + 4,
            companyOff * 1000 + 5);
    assertThat(marketplace.withdrawn).isEmpty();

    activities.fence(new JobStep(jobId));
    activities.restoreListings(new JobStep(jobId));
    activities.restoreModels(new JobStep(jobId));
    activities.restoreCompanies(new JobStep(jobId));

    assertThat(flags()).isEqualTo(before);
    assertThat(marketplace.withdrawn).isEqualTo(marketplace.listed);
    assertThat(activities.restoredChanges(new JobStep(jobId))).isEqualTo(1 + 1 + 4);
  }

  @Test
  void enablingNeverListsAVehicleHeldBackByThePlanLimits() {
    long held = companyOff * 1000 + 2;
    jdbc.sql(
            """
            INSERT INTO plan_holdbacks (vehicle_id, tenant_id, company_id)
            VALUES (:vehicle, :t, :company)
            """)
        .param("vehicle", held)
        .param("t", tenant)
        .param("company", companyOff)
        .update();
    ToggleStep enable = step(true);

    assertThat(activities.countToggleScope(enable)).isEqualTo(new ToggleScope(1, 1, 3));
    activities.switchCompanies(enable);
    activities.switchModels(enable);
    assertThat(activities.updateListings(enable)).isEqualTo(3);

    assertThat(marketplace.listed)
        .containsExactly(companyOff * 1000 + 1, companyOff * 1000 + 4, companyOff * 1000 + 5);
  }

  @Test
  void disablingWithdrawsOnlyTheListingsBillionStillHas() {
    ToggleStep disable = step(false);

    activities.switchCompanies(disable);
    activities.switchModels(disable);
    long withdrawn = activities.updateListings(disable);

    assertThat(flags()).doesNotContainValue(true);
    // The "on" company's published vehicles, except the one Billion took down itself.
    assertThat(withdrawn).isEqualTo(3);
    assertThat(marketplace.withdrawn)
        .containsExactly(companyOn * 1000 + 1, companyOn * 1000 + 2, companyOn * 1000 + 5);
  }

  @Test
  void aSwitchRestoredByARollbackIsAppliedAgainAndCountsAsCurrent() {
    ToggleStep disable = step(false);
    activities.switchCompanies(disable);
    activities.switchModels(disable);
    activities.restoreModels(new JobStep(jobId));
    activities.restoreCompanies(new JobStep(jobId));
    assertThat(activities.restoredChanges(new JobStep(jobId))).isEqualTo(2);

    assertThat(activities.switchCompanies(disable)).isEqualTo(1);
    assertThat(activities.switchModels(disable)).isEqualTo(1);

    assertThat(flags()).doesNotContainValue(true);
    assertThat(activities.restoredChanges(new JobStep(jobId))).isZero();
  }

  private ToggleStep step(boolean enabled) {
    return new ToggleStep(jobId, tenant, enabled, new BatchProgress("step", 0, 10));
  }

  /** "company <id>" and "model <id>" → marketplace_enabled, for this test's tenant. */
  private Map<String, Boolean> flags() {
    Map<String, Boolean> flags = new TreeMap<>();
    jdbc.sql(
            """
            SELECT 'company ' || id AS name, marketplace_enabled FROM companies WHERE tenant_id = :t
            UNION ALL
            SELECT 'model ' || id, marketplace_enabled FROM vehicle_models WHERE tenant_id = :t
            """)
        .param("t", tenant)
        .query(
            rs -> {
              flags.put(rs.getString("name"), rs.getBoolean("marketplace_enabled"));
            });
    return flags;
  }
}
