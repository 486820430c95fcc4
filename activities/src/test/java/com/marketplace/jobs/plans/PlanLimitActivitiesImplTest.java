package com.marketplace.jobs.plans;

import static org.assertj.core.api.Assertions.assertThat;

import com.marketplace.jobs.batches.BatchLoop;
import com.marketplace.jobs.batches.BatchProperties;
import com.marketplace.jobs.devstack.MailgunSink;
import com.marketplace.jobs.notifications.TestMailers;
import com.marketplace.jobs.search.OpenSearchIndex;
import com.marketplace.jobs.search.SearchProperties;
import com.marketplace.jobs.search.SearchReindexActivities;
import com.marketplace.jobs.search.SearchReindexActivitiesImpl;
import com.marketplace.jobs.search.VehicleDocument;
import com.marketplace.jobs.testsupport.MigratedPostgres;
import com.marketplace.jobs.testsupport.RecordingMarketplace;
import com.marketplace.jobs.testsupport.SearchNode;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
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
 * The plan-limit checks on real PostgreSQL and a real OpenSearch node, emails through the real
 * Mailgun client to the Mailgun sink, the marketplace as a recording fake: tenants at 79%, 80% and
 * over 100% of their vehicle limit get no email, one warning per month, and one degradation with
 * exactly the vehicles beyond the limit held back from the marketplace and search; back under the
 * limit restores them.
 */
class PlanLimitActivitiesImplTest {

  /** 79 of 100 published vehicles. */
  private static final long AT_79 = 141;

  /** 8 of 10. */
  private static final long AT_80 = 142;

  /** 13 of 10: the three with the highest ids are beyond the limit. */
  private static final long OVER = 143;

  /** 10 of 10: at the limit, nothing beyond it. */
  private static final long AT_100 = 144;

  /** 9 of 10, no administrator address. */
  private static final long NO_ADMIN = 145;

  private static MigratedPostgres postgres;
  private static JdbcClient jdbc;
  private static TransactionTemplate transactions;

  private final String suffix = Long.toString(System.nanoTime());
  private final RecordingMarketplace marketplace = new RecordingMarketplace();
  private MailgunSink sink;
  private OpenSearchIndex search;
  private TestActivityEnvironment env;
  private PlanLimitActivities activities;

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
  void seedAndConnect() {
    jdbc.sql("DELETE FROM touchpoints").update();
    jdbc.sql("DELETE FROM email_sends").update();
    jdbc.sql("DELETE FROM plan_holdbacks").update();
    jdbc.sql("DELETE FROM tenant_limit_states").update();
    jdbc.sql("DELETE FROM vehicles").update();
    jdbc.sql("DELETE FROM vehicle_models").update();
    jdbc.sql("DELETE FROM companies").update();
    jdbc.sql("DELETE FROM tenants").update();
    tenant(AT_79, 100, 79, "admin@seventynine.test");
    tenant(AT_80, 10, 8, "admin@eighty.test");
    tenant(OVER, 10, 13, "admin@over.test");
    tenant(AT_100, 10, 10, "admin@hundred.test");
    tenant(NO_ADMIN, 10, 9, null);

    sink = new MailgunSink("mg.example.com", "test-key").start(0);
    search =
        new OpenSearchIndex(
            new SearchProperties(
                URI.create(SearchNode.url()),
                "vehicles-" + suffix,
                "companies-" + suffix,
                Duration.ofSeconds(10),
                null,
                null));
    // Every published vehicle is in search, as a re-index leaves it.
    search.indexVehicles(
        jdbc.sql(
                """
                SELECT v.id, v.company_id, c.tenant_id, v.model_id FROM vehicles v
                  JOIN companies c ON c.id = v.company_id WHERE v.published
                """)
            .query(
                (rs, row) ->
                    new VehicleDocument(
                        rs.getLong("id"),
                        rs.getLong("company_id"),
                        rs.getLong("tenant_id"),
                        rs.getLong("model_id"),
                        "Compact",
                        true))
            .list());
    env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(
        new PlanLimitActivitiesImpl(
            jdbc, transactions, marketplace, search, TestMailers.staffMailer(jdbc, sink)));
    activities =
        env.newActivityStub(
            PlanLimitActivities.class,
            ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(1))
                .setHeartbeatTimeout(Duration.ofMinutes(1))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                .build());
  }

  @AfterEach
  void disconnect() {
    env.close();
    search.close();
    sink.close();
  }

  /**
   * A tenant with two companies on the marketplace (vehicles alternate between them, ids {@code
   * tenant * 100 + 1...}), {@code published} published vehicles and one unpublished after them.
   */
  private static void tenant(long id, int limit, int published, String adminEmail) {
    jdbc.sql(
            """
            INSERT INTO tenants (id, name, plan, vehicle_limit, admin_email)
            VALUES (:id, 'Tenant ' || :id, 'starter', :limit, :email)
            """)
        .param("id", id)
        .param("limit", limit)
        .param("email", adminEmail)
        .update();
    jdbc.sql(
            """
            INSERT INTO companies (id, tenant_id, name, email, status, marketplace_enabled)
            VALUES (:id * 10 + 1, :id, 'A', 'a@example.com', 'ACTIVE', true),
                   (:id * 10 + 2, :id, 'B', 'b@example.com', 'ACTIVE', true)
            """)
        .param("id", id)
        .update();
    jdbc.sql("INSERT INTO vehicle_models (id, tenant_id, name) VALUES (:id, :id, 'Compact')")
        .param("id", id)
        .update();
    jdbc.sql(
            """
            INSERT INTO vehicles (id, company_id, model_id, published)
            SELECT :id * 1000 + n, :id * 10 + 1 + n % 2, :id, n <= :published
              FROM generate_series(1, :published + 1) AS n
            """)
        .param("id", id)
        .param("published", published)
        .update();
  }

  private static Set<Long> vehicles(long tenant, int from, int to) {
    Set<Long> ids = new HashSet<>();
    LongStream.rangeClosed(from, to).forEach(n -> ids.add(tenant * 1000 + n));
    return ids;
  }

  private PlanLimitRun runOnce() {
    int checked = 0;
    int warning = 0;
    int over = 0;
    int held = 0;
    int released = 0;
    int sent = 0;
    long cursor = 0;
    while (true) {
      List<Long> page = activities.planLimitsTenantPage(cursor, 2);
      if (page.isEmpty()) {
        return new PlanLimitRun(checked, warning, over, held, released, sent);
      }
      PlanCheckBatch batch = activities.planLimitsCheckTenants(page);
      checked += batch.checked();
      warning += batch.warning();
      over += batch.overLimit();
      held += batch.heldBack();
      released += batch.released();
      activities.planLimitsApplyHoldbacks(page);
      sent += activities.planLimitsSendNotices(page);
      cursor = page.get(page.size() - 1);
    }
  }

  private Set<Long> indexed(long tenant) {
    search.refresh();
    Set<Long> ids = new HashSet<>(search.vehicleIdsOfCompany(tenant * 10 + 1));
    ids.addAll(search.vehicleIdsOfCompany(tenant * 10 + 2));
    return ids;
  }

  private List<MailgunSink.Received> emailsTo(String address) {
    return sink.accepted().stream().filter(e -> address.equals(e.form().get("to"))).toList();
  }

  @Test
  void at79And80AndOverTheLimitOneWarningOneDegradationWithExactlyTheVehiclesBeyondHeldBack() {
    PlanLimitRun first = runOnce();

    assertThat(first.checked()).isEqualTo(5);
    assertThat(first.heldBack()).as("13 of 10: three beyond").isEqualTo(3);
    assertThat(emailsTo("admin@seventynine.test")).as("79%: no email").isEmpty();
    List<MailgunSink.Received> warnings = emailsTo("admin@eighty.test");
    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0).form().get("subject"))
        .isEqualTo("Tenant 142 is using 80% or more of its starter plan");
    assertThat(warnings.get(0).form().get("text")).contains("Published vehicles: 8 of 10 (80%)");

    Set<Long> beyond = vehicles(OVER, 11, 13);
    assertThat(marketplace.withdrawn).as("only the vehicles beyond the limit").isEqualTo(beyond);
    assertThat(indexed(OVER)).isEqualTo(vehicles(OVER, 1, 10));
    assertThat(indexed(AT_100)).as("at 100% nothing is beyond").isEqualTo(vehicles(AT_100, 1, 10));
    assertThat(indexed(AT_80)).isEqualTo(vehicles(AT_80, 1, 8));
    assertThat(
            jdbc.sql("SELECT vehicle_id FROM plan_holdbacks ORDER BY vehicle_id")
                .query(Long.class)
                .set())
        .isEqualTo(beyond);
    List<MailgunSink.Received> reached = emailsTo("admin@over.test");
    assertThat(reached).hasSize(1);
    assertThat(reached.get(0).form().get("subject"))
        .isEqualTo("Tenant 143 has reached the limit of its starter plan: 3 vehicles held back");
    assertThat(reached.get(0).form().get("text"))
        .contains("Published vehicles: 13 of 10 (130%)")
        .contains("143011, 143012, 143013");
    List<MailgunSink.Received> atLimit = emailsTo("admin@hundred.test");
    assertThat(atLimit).hasSize(1);
    assertThat(atLimit.get(0).form().get("text"))
        .contains("No vehicle is held back, but no more vehicles can be published");
    assertThat(sink.accepted()).as("warning, two over-limit emails").hasSize(3);
    assertThat(
            jdbc.sql(
                    """
                    SELECT tenant_id, warning, over_limit FROM tenant_limit_states
                     ORDER BY tenant_id
                    """)
                .query((rs, row) -> List.of(rs.getLong(1), rs.getBoolean(2), rs.getBoolean(3)))
                .list())
        .containsExactly(
            List.of(AT_79, false, false),
            List.of(AT_80, true, false),
            List.of(OVER, true, true),
            List.of(AT_100, true, true),
            List.of(NO_ADMIN, true, false));

    PlanLimitRun second = runOnce();

    assertThat(second.heldBack()).as("nothing new").isZero();
    assertThat(second.emails()).isZero();
    assertThat(sink.accepted()).as("no email twice in the same month").hasSize(3);
    assertThat(marketplace.keys).as("no marketplace call again").hasSize(2);
  }

  @Test
  void aTenantWithoutAnAdministratorAddressHasItsWarningRecordedAsNotSendable() {
    runOnce();

    assertThat(
            jdbc.sql(
                    """
                    SELECT kind, delivery_status, sent_at IS NULL AS unsent FROM touchpoints
                     WHERE tenant_id = :tenant
                    """)
                .param("tenant", NO_ADMIN)
                .query()
                .listOfRows())
        .containsExactly(
            Map.of("kind", "plan_limit_warning", "delivery_status", "FAILED", "unsent", true));
  }

  @Test
  void backUnderTheLimitListsAndIndexesWhatWasHeldBackAgainAndTellsTheAdministrator() {
    runOnce();
    marketplace.listed.clear();
    jdbc.sql("UPDATE tenants SET vehicle_limit = 20 WHERE id = :id").param("id", OVER).update();

    PlanLimitRun lifted = runOnce();

    assertThat(lifted.released()).isEqualTo(3);
    assertThat(marketplace.listed).isEqualTo(vehicles(OVER, 11, 13));
    assertThat(indexed(OVER)).isEqualTo(vehicles(OVER, 1, 13));
    assertThat(jdbc.sql("SELECT count(*) FROM plan_holdbacks").query(Long.class).single()).isZero();
    List<MailgunSink.Received> emails = emailsTo("admin@over.test");
    assertThat(emails).hasSize(2);
    assertThat(emails.get(1).form().get("subject"))
        .isEqualTo("Tenant 143 is back under the limits of its starter plan");
    assertThat(emails.get(1).form().get("text")).contains("Published vehicles: 13 of 20 (65%)");

    // Over again: a new episode, held back and told again.
    jdbc.sql("UPDATE tenants SET vehicle_limit = 12 WHERE id = :id").param("id", OVER).update();
    marketplace.withdrawn.clear();
    runOnce();

    assertThat(marketplace.withdrawn).isEqualTo(vehicles(OVER, 13, 13));
    assertThat(indexed(OVER)).isEqualTo(vehicles(OVER, 1, 12));
    List<MailgunSink.Received> again = emailsTo("admin@over.test");
    assertThat(again).hasSize(3);
    assertThat(again.get(2).form().get("subject"))
        .isEqualTo("Tenant 143 has reached the limit of its starter plan: 1 vehicle held back");
    assertThat(again.get(2).form().get("text")).contains("Held back now: 1 vehicle, ids 143013.");
  }

  @Test
  void unpublishingAHeldBackVehicleReleasesItWithoutListingIt() {
    runOnce();
    marketplace.listed.clear();
    jdbc.sql("UPDATE vehicles SET published = false WHERE id IN (143012, 143013)").update();

    PlanLimitRun run = runOnce();

    assertThat(run.released()).isEqualTo(2);
    assertThat(marketplace.listed).as("unpublished vehicles are not listed").isEmpty();
    assertThat(indexed(OVER)).isEqualTo(vehicles(OVER, 1, 10));
    assertThat(jdbc.sql("SELECT vehicle_id FROM plan_holdbacks").query(Long.class).list())
        .as("11 of 10 now: the eleventh stays held back")
        .containsExactly(143011L);
  }

  @Test
  void aSearchReindexLeavesHeldBackVehiclesOutOfTheIndex() {
    runOnce();
    TestActivityEnvironment reindexEnv = TestActivityEnvironment.newInstance();
    try {
      reindexEnv.registerActivitiesImplementations(
          new SearchReindexActivitiesImpl(
              jdbc,
              transactions,
              search,
              new BatchLoop(jdbc, new BatchProperties(50, 100, Duration.ofMillis(250)))));
      SearchReindexActivities reindex =
          reindexEnv.newActivityStub(
              SearchReindexActivities.class,
              ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(1)).build());
      String jobId = UUID.randomUUID().toString();
      reindex.reindexBatches(
          new com.marketplace.jobs.search.ReindexRequest(jobId, "vehicles", 0, 0, 1000), 100);
    } finally {
      reindexEnv.close();
    }

    assertThat(indexed(OVER)).isEqualTo(vehicles(OVER, 1, 10));
    assertThat(indexed(AT_79)).hasSize(79);
  }
}
