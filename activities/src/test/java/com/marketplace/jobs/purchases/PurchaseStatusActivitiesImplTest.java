package com.marketplace.jobs.purchases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marketplace.jobs.devstack.MailgunSink;
import com.marketplace.jobs.devstack.PurchaseProviderFake;
import com.marketplace.jobs.notifications.TestMailers;
import com.marketplace.jobs.testsupport.MigratedPostgres;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The purchase-status checks' steps on real PostgreSQL, asking the fake purchase provider through
 * the real HTTP client and emailing through the real Mailgun client to the Mailgun sink: pending
 * purchases becoming completed or failed, a refusal for one purchase recorded while the others go
 * on, provider outages failing the call, and a purchase pending past the limit flagged and emailed
 * once.
 */
class PurchaseStatusActivitiesImplTest {

  private static final long COMPANY = 1401;
  private static final String COMPANY_EMAIL = "desk@meadow-motors.test";
  private static final String API_KEY = "purchase-test-key";

  private static MigratedPostgres database;
  private static JdbcClient jdbc;

  private MailgunSink sink;
  private PurchaseProviderFake provider;
  private TestActivityEnvironment env;
  private PurchaseStatusActivities activities;

  @BeforeAll
  static void startDatabase() {
    database = MigratedPostgres.start();
    jdbc = database.jdbc();
    jdbc.sql("INSERT INTO tenants (id, name, plan, vehicle_limit) VALUES (14, 'Mead', 'pro', 500)")
        .update();
    jdbc.sql(
            "INSERT INTO companies (id, tenant_id, name, email, status)"
                + " VALUES (1401, 14, 'Meadow Motors', 'desk@meadow-motors.test', 'ACTIVE')")
        .update();
    jdbc.sql("INSERT INTO vehicle_models (id, tenant_id, name) VALUES (141, 14, 'Roadster')")
        .update();
    jdbc.sql(
            """
            INSERT INTO vehicles (id, company_id, model_id)
            SELECT n, 1401, 141 FROM generate_series(14001, 14300) AS n
            """)
        .update();
  }

  @AfterAll
  static void stopDatabase() throws Exception {
    database.close();
  }

  @BeforeEach
  void setUp() {
    jdbc.sql("DELETE FROM touchpoints").update();
    jdbc.sql("DELETE FROM vehicle_purchases").update();
    sink = new MailgunSink("mg.example.com", "test-key").start(0);
    provider = new PurchaseProviderFake(API_KEY).start(0);
    useKey(API_KEY);
  }

  private void useKey(String apiKey) {
    if (env != null) {
      env.close();
    }
    PurchaseProperties properties =
        new PurchaseProperties(
            URI.create(provider.baseUrl()), apiKey, Duration.ofSeconds(2), Duration.ofDays(7));
    env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(
        new PurchaseStatusActivitiesImpl(
            jdbc,
            new HttpPurchaseProvider(properties),
            TestMailers.companyMailer(jdbc, sink),
            properties));
    activities =
        env.newActivityStub(
            PurchaseStatusActivities.class,
            ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(1))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                .build());
  }

  @AfterEach
  void tearDown() {
    env.close();
    env = null;
    provider.close();
    sink.close();
  }

  /** A pending purchase of {@code vehicle} requested {@code age} ago (a PostgreSQL interval). */
  private static long pending(long vehicle, String reference, String age) {
    return jdbc.sql(
            """
            INSERT INTO vehicle_purchases (vehicle_id, company_id, provider_reference, requested_at)
            VALUES (:vehicle, :company, :reference, now() - CAST(:age AS interval)) RETURNING id
            """)
        .param("vehicle", vehicle)
        .param("company", COMPANY)
        .param("reference", reference)
        .param("age", age)
        .query(Long.class)
        .single();
  }

  private static Map<String, Object> row(long id) {
    return jdbc.sql(
            """
            SELECT status, failure_reason, last_check_error,
                   last_checked_at IS NOT NULL AS checked, completed_at IS NOT NULL AS completed,
                   failed_at IS NOT NULL AS failed, stuck_flagged_at IS NOT NULL AS flagged
              FROM vehicle_purchases WHERE id = :id
            """)
        .param("id", id)
        .query()
        .singleRow();
  }

  @Test
  void pendingPurchasesBecomeCompletedOrFailedAsTheProviderSaysAndTheRestStayPending() {
    long completed = pending(14001, "pur-completed", "1 hour");
    long failed = pending(14002, "pur-failed", "1 hour");
    long stillPending = pending(14003, "pur-pending", "1 hour");
    provider.complete("pur-completed");
    provider.fail("pur-failed", "payment_declined");

    PurchaseCheckBatch batch = activities.purchasesCheckBatch(0, 50);

    assertThat(batch).isEqualTo(new PurchaseCheckBatch(stillPending, 3, 1, 1, 0));
    assertThat(row(completed))
        .containsEntry("status", "COMPLETED")
        .containsEntry("completed", true)
        .containsEntry("failed", false);
    assertThat(row(failed))
        .containsEntry("status", "FAILED")
        .containsEntry("failure_reason", "payment_declined")
        .containsEntry("failed", true);
    assertThat(row(stillPending))
        .containsEntry("status", "PENDING")
        .containsEntry("checked", true)
        .containsEntry("last_check_error", null);
    assertThat(provider.calls())
        .allSatisfy(call -> assertThat(call.authorization()).isEqualTo("Bearer " + API_KEY));

    PurchaseCheckBatch next = activities.purchasesCheckBatch(0, 50);

    assertThat(next)
        .as("only the pending one is asked again")
        .isEqualTo(new PurchaseCheckBatch(stillPending, 1, 0, 0, 0));
    assertThat(provider.calls("pur-completed")).hasSize(1);
    assertThat(provider.calls("pur-pending")).hasSize(2);
  }

  @Test
  void aPurchaseTheProviderDoesNotKnowIsRecordedAndTheOthersAreStillChecked() {
    long unknown = pending(14010, "pur-unknown", "1 hour");
    long completed = pending(14011, "pur-done", "1 hour");
    provider.forget("pur-unknown");
    provider.complete("pur-done");

    PurchaseCheckBatch batch = activities.purchasesCheckBatch(0, 50);

    assertThat(batch).isEqualTo(new PurchaseCheckBatch(completed, 2, 1, 0, 1));
    assertThat(row(unknown))
        .containsEntry("status", "PENDING")
        .containsEntry("checked", true)
        .containsEntry("last_check_error", "Purchase provider refused the purchase: HTTP 404");
    assertThat(row(completed)).containsEntry("status", "COMPLETED");

    provider.pending("pur-unknown");
    activities.purchasesCheckBatch(0, 50);
    assertThat(row(unknown))
        .as("the next good answer clears the error")
        .containsEntry("last_check_error", null);
  }

  @Test
  void aProviderOutageFailsTheCallRetryablyAndWhatWasRecordedStays() {
    long first = pending(14020, "pur-a", "1 hour");
    long second = pending(14021, "pur-b", "1 hour");
    provider.complete("pur-a");
    provider.complete("pur-b");
    provider.failNext(1, 0);
    provider.failNext(1, 503);

    assertThatThrownBy(() -> activities.purchasesCheckBatch(0, 50))
        .hasStackTraceContaining("PROVIDER_UNAVAILABLE")
        .hasStackTraceContaining("Purchase provider answered HTTP 503");
    assertThat(row(first)).containsEntry("status", "COMPLETED");
    assertThat(row(second)).containsEntry("status", "PENDING").containsEntry("checked", false);

    assertThat(activities.purchasesCheckBatch(0, 50))
        .as("the retry asks only what is still pending")
        .isEqualTo(new PurchaseCheckBatch(second, 1, 1, 0, 0));
    assertThat(provider.calls("pur-a")).hasSize(1);
  }

  @Test
  void aWrongApiKeyFailsTheWholeCallForGoodInsteadOfRecordingEveryPurchase() {
    long purchase = pending(14030, "pur-key", "1 hour");
    useKey("not-the-key");

    assertThatThrownBy(() -> activities.purchasesCheckBatch(0, 50))
        .rootCause()
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            failure -> {
              assertThat(failure.isNonRetryable()).isTrue();
              assertThat(failure.getType()).isEqualTo("PROVIDER_REJECTED");
              assertThat(failure.getOriginalMessage())
                  .isEqualTo("Purchase provider refused our credentials: HTTP 401");
            });
    assertThat(row(purchase))
        .containsEntry("checked", false)
        .containsEntry("last_check_error", null);
  }

  @Test
  void pendingPurchasesAreWalkedInBatchesByIdWithOneProviderCallEach() {
    for (int i = 0; i < 120; i++) {
      pending(14100 + i, "pur-bulk-" + i, "1 hour");
    }
    provider.complete("pur-bulk-7");

    List<Integer> sizes = new java.util.ArrayList<>();
    long cursor = 0;
    while (true) {
      PurchaseCheckBatch batch = activities.purchasesCheckBatch(cursor, 50);
      sizes.add(batch.checked());
      cursor = batch.lastId();
      if (batch.checked() < 50) {
        break;
      }
    }

    assertThat(sizes).containsExactly(50, 50, 20);
    assertThat(provider.calls()).hasSize(120);
    assertThat(
            jdbc.sql("SELECT count(*) FROM vehicle_purchases WHERE status = 'COMPLETED'")
                .query(Long.class)
                .single())
        .isEqualTo(1L);
  }

  @Test
  void aPurchasePendingPastTheLimitIsFlaggedAndItsCompanyEmailedOnce() {
    long stuck = pending(14040, "pur-stuck", "8 days");
    long recent = pending(14041, "pur-recent", "2 days");
    long oldButDone = pending(14042, "pur-old-done", "9 days");
    provider.complete("pur-old-done");
    activities.purchasesCheckBatch(0, 50);

    int flaggedFirst = activities.purchasesFlagStuck();
    int flaggedAgain = activities.purchasesFlagStuck();
    List<Long> unsent = activities.purchasesUnsentStuckNotices(0, 50);
    StuckNoticeBatch sent = activities.purchasesSendStuckNotices(unsent);
    StuckNoticeBatch resent = activities.purchasesSendStuckNotices(unsent);

    assertThat(flaggedFirst).isEqualTo(1);
    assertThat(flaggedAgain).isZero();
    assertThat(unsent).hasSize(1);
    assertThat(sent).isEqualTo(new StuckNoticeBatch(1, 0));
    assertThat(resent)
        .as("a repeated call sends nothing again")
        .isEqualTo(new StuckNoticeBatch(0, 0));
    assertThat(activities.purchasesUnsentStuckNotices(0, 50)).isEmpty();
    assertThat(row(stuck)).containsEntry("flagged", true).containsEntry("status", "PENDING");
    assertThat(row(recent)).containsEntry("flagged", false);
    assertThat(row(oldButDone)).containsEntry("flagged", false);
    assertThat(sink.accepted())
        .singleElement()
        .satisfies(
            email -> {
              assertThat(email.form()).containsEntry("to", COMPANY_EMAIL);
              assertThat(email.form().get("subject"))
                  .isEqualTo("Purchase of vehicle Roadster #14040 still pending after 8 days");
              assertThat(email.form().get("text"))
                  .contains("Meadow Motors")
                  .contains("reference pur-stuck");
            });
    assertThat(
            jdbc.sql(
                    """
                    SELECT subject_key, company_id, sent_at IS NOT NULL AS sent, provider_message_id
                      FROM touchpoints WHERE kind = 'purchase_stuck'
                    """)
                .query()
                .listOfRows())
        .containsExactly(
            Map.of(
                "subject_key",
                "vehicle-purchase:" + stuck,
                "company_id",
                COMPANY,
                "sent",
                true,
                "provider_message_id",
                sink.accepted().get(0).messageId()));
  }

  @Test
  void aStuckNoticeMailgunRefusesForGoodIsMarkedFailedAndNotTriedAgain() {
    pending(14050, "pur-stuck-refused", "10 days");
    sink.failNext(1, 400);

    activities.purchasesFlagStuck();
    StuckNoticeBatch batch =
        activities.purchasesSendStuckNotices(activities.purchasesUnsentStuckNotices(0, 50));

    assertThat(batch).isEqualTo(new StuckNoticeBatch(0, 1));
    assertThat(activities.purchasesUnsentStuckNotices(0, 50)).isEmpty();
    assertThat(sink.accepted()).isEmpty();
  }
}
