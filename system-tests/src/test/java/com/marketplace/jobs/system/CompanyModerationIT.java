package com.marketplace.jobs.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.marketplace.jobs.devstack.MailgunSink;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Company bans and unbans through HTTP, with the real dev server and PostgreSQL, on the demo
 * company 101 (250 vehicles, every tenth unpublished by its owner; 300 orders, some already
 * completed or cancelled).
 */
class CompanyModerationIT extends StackTest {

  private static final long BIG_COMPANY = 101;

  @Test
  void aBanChangesExactlyWhatItShouldAndTheUnbanRestoresTheDatabaseRowForRow() {
    Snapshot before = snapshot(BIG_COMPANY);
    assertThat(before.vehicles()).hasSize(250);
    assertThat(before.orders()).hasSize(300);
    List<Long> listedBefore = stack.marketplace().listed(BIG_COMPANY);
    List<Long> indexedBefore = indexed(BIG_COMPANY);
    assertThat(indexedBefore)
        .containsExactlyInAnyOrderElementsOf(
            before.vehicles().entrySet().stream()
                .filter(Map.Entry::getValue)
                .map(Map.Entry::getKey)
                .toList());
    assertThat(listedBefore)
        .containsExactlyInAnyOrderElementsOf(
            before.vehicles().entrySet().stream()
                .filter(Map.Entry::getValue)
                .map(Map.Entry::getKey)
                .toList());

    JsonHttp.Response ban =
        api.post("/api/companies/101/ban", BanReasons.body("Repeated fraud reports"));
    assertThat(ban.status()).isEqualTo(202);
    String banJob = ban.json().path("jobId").asText();
    JsonNode banned = awaitFinished(banJob, Duration.ofSeconds(60));

    assertThat(banned.path("status").asText()).as(banned.toString()).isEqualTo("COMPLETED");
    assertThat(companyStatus(BIG_COMPANY)).isEqualTo("BANNED");
    Snapshot after = snapshot(BIG_COMPANY);
    assertThat(after.vehicles().values()).containsOnly(false);
    long wasPublished = before.vehicles().values().stream().filter(p -> p).count();
    long wasActive = before.orders().values().stream().filter("ACTIVE"::equals).count();
    for (var order : before.orders().entrySet()) {
      String expected = "ACTIVE".equals(order.getValue()) ? "DEACTIVATED" : order.getValue();
      assertThat(after.orders().get(order.getKey()))
          .as("order " + order.getKey())
          .isEqualTo(expected);
    }
    assertThat(
            sql.count(
                "SELECT count(*) FROM moderation_changes WHERE job_id = ?::uuid AND entity = 'VEHICLE'",
                banJob))
        .isEqualTo(wasPublished);
    assertThat(banned.path("progress").path("completed").asLong())
        .isEqualTo(1 + wasPublished + wasActive);
    assertThat(banned.path("progress").path("total").asLong())
        .isEqualTo(1 + wasPublished + wasActive);
    assertThat(banned.path("progress").path("batchSizes")).isNotEmpty();
    assertThat(banned.path("progress").path("step").asText()).isEqualTo("done");
    assertThat(stack.marketplace().listed(BIG_COMPANY)).isEmpty();
    assertThat(indexed(BIG_COMPANY)).isEmpty();
    JsonNode notice = awaitFollowUpFinished(banJob);
    assertThat(notice.path("status").asText()).isEqualTo("COMPLETED");
    List<MailgunSink.Received> emails = stack.mail().acceptedForJob(notice.path("jobId").asText());
    assertThat(emails).hasSize(1);
    assertThat(emails.get(0).form().get("to")).isEqualTo("downtown@sunny-rentals.example");
    assertThat(emails.get(0).form().get("text")).contains("Repeated fraud reports");

    JsonHttp.Response unban = api.post("/api/companies/101/unban", "");
    assertThat(unban.status()).isEqualTo(202);
    String unbanJob = unban.json().path("jobId").asText();
    assertThat(awaitFinished(unbanJob, Duration.ofSeconds(60)).path("status").asText())
        .isEqualTo("COMPLETED");

    assertThat(companyStatus(BIG_COMPANY)).isEqualTo("ACTIVE");
    assertThat(snapshot(BIG_COMPANY)).isEqualTo(before);
    assertThat(stack.marketplace().listed(BIG_COMPANY))
        .containsExactlyInAnyOrderElementsOf(listedBefore);
    assertThat(indexed(BIG_COMPANY)).containsExactlyInAnyOrderElementsOf(indexedBefore);
    JsonNode unbanNotice = awaitFollowUpFinished(unbanJob);
    assertThat(stack.mail().acceptedForJob(unbanNotice.path("jobId").asText())).hasSize(1);
  }

  @Test
  void aBanDuringWhichTheMarketplaceFailsPermanentlyIsRolledBackCompletely() {
    Snapshot before = snapshot(BIG_COMPANY);
    List<Long> listedBefore = stack.marketplace().listed(BIG_COMPANY);
    List<Long> indexedBefore = indexed(BIG_COMPANY);
    stack.marketplace().failAlways(400);
    JsonNode failed;
    try {
      String banJob =
          api.post("/api/companies/101/ban", BanReasons.body("Listings outage rehearsal"))
              .json()
              .path("jobId")
              .asText();
      failed = awaitFinished(banJob, Duration.ofSeconds(60));
    } finally {
      stack.marketplace().failAlways(0);
    }

    assertThat(failed.path("status").asText()).isEqualTo("FAILED");
    assertThat(failed.path("lastError").path("type").asText()).isEqualTo("ROLLED_BACK");
    assertThat(failed.path("lastError").path("message").asText())
        .contains("'withdraw marketplace listings'")
        .contains("rolled back");
    assertThat(snapshot(BIG_COMPANY)).isEqualTo(before);
    assertThat(stack.marketplace().listed(BIG_COMPANY))
        .containsExactlyInAnyOrderElementsOf(listedBefore);
    assertThat(indexed(BIG_COMPANY)).containsExactlyInAnyOrderElementsOf(indexedBefore);
    assertThat(stack.mail().accepted()).isEmpty();
  }

  @Test
  void anOrderCompletedWhileBannedStaysCompletedAfterTheUnban() {
    String banJob =
        api.post("/api/companies/101/ban", BanReasons.body("Audit of rental contracts"))
            .json()
            .path("jobId")
            .asText();
    assertThat(awaitFinished(banJob, Duration.ofSeconds(60)).path("status").asText())
        .isEqualTo("COMPLETED");
    long order =
        (Long)
            sql.rows(
                    "SELECT entity_id FROM moderation_changes WHERE job_id = ?::uuid AND entity = 'ORDER' ORDER BY entity_id LIMIT 1",
                    banJob)
                .get(0)
                .get("entity_id");
    sql.update("UPDATE orders SET status = 'COMPLETED' WHERE id = ?", order);

    String unbanJob = api.post("/api/companies/101/unban", "").json().path("jobId").asText();
    assertThat(awaitFinished(unbanJob, Duration.ofSeconds(60)).path("status").asText())
        .isEqualTo("COMPLETED");

    assertThat(sql.rows("SELECT status FROM orders WHERE id = ?", order).get(0).get("status"))
        .isEqualTo("COMPLETED");
    assertThat(
            sql.count(
                "SELECT count(*) FROM orders o JOIN moderation_changes c ON c.entity_id = o.id"
                    + " WHERE c.job_id = ?::uuid AND c.entity = 'ORDER' AND o.status <> 'ACTIVE'",
                banJob))
        .isEqualTo(1);
    sql.update("UPDATE orders SET status = 'ACTIVE' WHERE id = ?", order);
  }

  @Test
  void anUnbanDoesNotListAgainAVehicleTheMarketplaceTookDownMeanwhile() {
    List<Long> listedBefore = stack.marketplace().listed(BIG_COMPANY);
    String banJob =
        api.post("/api/companies/101/ban", BanReasons.body("Review of insurance papers"))
            .json()
            .path("jobId")
            .asText();
    assertThat(awaitFinished(banJob, Duration.ofSeconds(60)).path("status").asText())
        .isEqualTo("COMPLETED");
    // Billion took one of the withdrawn vehicles down for good (its listing.removed event).
    long takenDown = listedBefore.get(0);
    sql.update("UPDATE vehicles SET marketplace_removed_at = now() WHERE id = ?", takenDown);
    try {
      String unbanJob = api.post("/api/companies/101/unban", "").json().path("jobId").asText();
      assertThat(awaitFinished(unbanJob, Duration.ofSeconds(60)).path("status").asText())
          .isEqualTo("COMPLETED");

      assertThat(stack.marketplace().listed(BIG_COMPANY))
          .containsExactlyInAnyOrderElementsOf(
              listedBefore.stream().filter(id -> id != takenDown).toList());
      assertThat(
              sql.count(
                  "SELECT count(*) FROM moderation_changes WHERE job_id = ?::uuid"
                      + " AND entity = 'LISTING' AND entity_id = ?",
                  unbanJob,
                  takenDown))
          .isZero();
    } finally {
      sql.update("UPDATE vehicles SET marketplace_removed_at = NULL WHERE id = ?", takenDown);
      stack.marketplace().seed(BIG_COMPANY, List.of(takenDown));
    }
  }

  @Test
  void aMailgunRefusingTheCompanysAddressLeavesTheBanInPlaceAndShowsTheFailedEmailOnTheJob() {
    long company = 102;
    Snapshot before = snapshot(company);
    stack.mail().failAlways(400);
    String banJob;
    JsonNode notice;
    try {
      banJob =
          api.post("/api/companies/102/ban", BanReasons.body("Undeliverable contact address"))
              .json()
              .path("jobId")
              .asText();
      JsonNode ban = awaitFinished(banJob, Duration.ofSeconds(60));
      assertThat(ban.path("status").asText()).as(ban.toString()).isEqualTo("COMPLETED");
      notice = awaitFollowUpFinished(banJob);
    } finally {
      stack.mail().failAlways(0);
    }

    assertThat(companyStatus(company)).isEqualTo("BANNED");
    Snapshot banned = snapshot(company);
    assertThat(banned.vehicles()).containsOnlyKeys(before.vehicles().keySet());
    assertThat(banned.vehicles()).doesNotContainValue(true);
    assertThat(banned.orders().values()).doesNotContain("ACTIVE");
    assertThat(indexed(company)).isEmpty();
    assertThat(notice.path("type").asText()).isEqualTo("company_notice");
    assertThat(notice.path("status").asText()).isEqualTo("FAILED");
    assertThat(notice.path("lastError").path("type").asText()).isEqualTo("PROVIDER_REJECTED");
    // The email job is a job of its own: in the failed-jobs list, linked to the ban.
    JsonNode noticeJob = api.get(notice.path("statusUrl").asText()).json();
    assertThat(noticeJob.path("parentJobId").asText()).isEqualTo(banJob);
    assertThat(noticeJob.path("attempts").asInt()).isEqualTo(1);
    assertThat(stack.mail().accepted()).isEmpty();

    String unban = api.post("/api/companies/102/unban", "").json().path("jobId").asText();
    assertThat(awaitFinished(unban, Duration.ofSeconds(60)).path("status").asText())
        .isEqualTo("COMPLETED");
    assertThat(snapshot(company)).isEqualTo(before);
    JsonNode unbanNotice = awaitFollowUpFinished(unban);
    assertThat(unbanNotice.path("status").asText()).isEqualTo("COMPLETED");
    assertThat(stack.mail().accepted()).hasSize(1);
  }

  @Test
  void banUnbanBanWithTheSameReasonIsThreeJobsAndLeavesTheCompanyBanned() {
    long company = 202;
    Snapshot before = snapshot(company);
    String reason = BanReasons.body("Repeated fraud reports");

    String ban = completed(api.post("/api/companies/202/ban", reason));
    String unban = completed(api.post("/api/companies/202/unban", ""));
    String banAgain = completed(api.post("/api/companies/202/ban", reason));

    assertThat(List.of(ban, unban, banAgain)).doesNotHaveDuplicates();
    assertThat(companyStatus(company)).isEqualTo("BANNED");
    assertThat(snapshot(company).vehicles()).doesNotContainValue(true);

    // The unban reverses the latest ban, not the first one (whose changes the first unban undid).
    String lastUnban = completed(api.post("/api/companies/202/unban", ""));
    assertThat(jobRow(lastUnban).get("payload").toString()).contains(banAgain);
    assertThat(snapshot(company)).isEqualTo(before);
  }

  @Test
  void retryingAFailedBanIsANewJobThatTakesEffect() {
    long company = 201;
    Snapshot before = snapshot(company);
    String reason = BanReasons.body("Chargebacks above threshold");
    stack.marketplace().failAlways(400);
    String failed;
    try {
      failed = api.post("/api/companies/201/ban", reason).json().path("jobId").asText();
      assertThat(awaitFinished(failed, Duration.ofSeconds(60)).path("status").asText())
          .isEqualTo("FAILED");
    } finally {
      stack.marketplace().failAlways(0);
    }
    assertThat(snapshot(company)).isEqualTo(before);

    JsonHttp.Response retry = api.post("/api/companies/201/ban", reason);
    assertThat(retry.header("Idempotent-Replayed")).isNull();
    String retried = completed(retry);

    assertThat(retried).isNotEqualTo(failed);
    assertThat(companyStatus(company)).isEqualTo("BANNED");
    assertThat(stack.marketplace().listed(company)).isEmpty();

    completed(api.post("/api/companies/201/unban", ""));
    assertThat(snapshot(company)).isEqualTo(before);
    assertThat(stack.marketplace().listed(company)).hasSize(15);
  }

  @Test
  void anUnbanOfACompanyBannedByHandIs409AndStartsNothing() {
    sql.update("UPDATE companies SET status = 'BANNED' WHERE id = 202");
    try {
      long jobsBefore = sql.count("SELECT count(*) FROM jobs");

      JsonHttp.Response unban = api.post("/api/companies/202/unban", "");

      assertThat(unban.status()).isEqualTo(409);
      assertThat(unban.header("Content-Type")).startsWith("application/problem+json");
      assertThat(unban.json().path("title").asText()).isEqualTo("No ban to reverse");
      assertThat(sql.count("SELECT count(*) FROM jobs")).isEqualTo(jobsBefore);
    } finally {
      sql.update("UPDATE companies SET status = 'ACTIVE' WHERE id = 202");
    }
  }

  /** Checks the command was accepted as a new job and waits for it to complete. */
  private String completed(JsonHttp.Response accepted) {
    assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
    String jobId = accepted.json().path("jobId").asText();
    JsonNode finished = awaitFinished(jobId, Duration.ofSeconds(60));
    assertThat(finished.path("status").asText()).as(finished.toString()).isEqualTo("COMPLETED");
    return jobId;
  }

  @Test
  void refusalsAre404Or409AndStartNothing() {
    long jobsBefore = sql.count("SELECT count(*) FROM jobs");

    JsonHttp.Response unknown =
        api.post("/api/companies/999999/ban", BanReasons.body("Ban of a company nobody knows"));
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.header("Content-Type")).startsWith("application/problem+json");
    JsonHttp.Response notBanned = api.post("/api/companies/201/unban", "");
    assertThat(notBanned.status()).isEqualTo(409);
    assertThat(notBanned.json().path("detail").asText()).isEqualTo("Company 201 is not banned.");
    JsonHttp.Response noReason = api.post("/api/companies/201/ban", "{}");
    assertThat(noReason.status()).isEqualTo(400);
    assertThat(noReason.json().path("errors").get(0).path("field").asText()).isEqualTo("reason");

    assertThat(sql.count("SELECT count(*) FROM jobs")).isEqualTo(jobsBefore);
  }

  @Test
  void aSecondModerationRequestWhileOneIsUnfinishedIs409WithTheRunningJobsId() {
    stack.worker().stop();
    String first;
    try {
      JsonHttp.Response ban =
          api.post("/api/companies/201/ban", BanReasons.body("First of two competing bans"));
      assertThat(ban.status()).isEqualTo(202);
      first = ban.json().path("jobId").asText();

      JsonHttp.Response second =
          api.post("/api/companies/201/ban", BanReasons.body("Second of two competing bans"));
      assertThat(second.status()).isEqualTo(409);
      assertThat(second.json().path("jobId").asText()).isEqualTo(first);
      // Nor may the company's tenant be toggled on or off the marketplace meanwhile.
      JsonHttp.Response toggle = api.post("/api/tenants/2/marketplace", "{\"enabled\": false}");
      assertThat(toggle.status()).isEqualTo(409);
      assertThat(toggle.json().path("jobId").asText()).isEqualTo(first);
      assertThat(toggle.json().path("detail").asText())
          .isEqualTo(
              "Tenant 2 already has an unfinished company_ban job ("
                  + first
                  + ") for its company 201; wait for it to finish.");
      assertThat(
              sql.count(
                  "SELECT count(*) FROM jobs WHERE company_id = 201 AND status IN ('PENDING', 'PROCESSING')"))
          .isEqualTo(1);
    } finally {
      stack.worker().start().awaitHealthy(Duration.ofMinutes(2));
    }
    assertThat(awaitFinished(first, Duration.ofSeconds(90)).path("status").asText())
        .isEqualTo("COMPLETED");
    JsonHttp.Response again =
        api.post("/api/companies/201/ban", BanReasons.body("Third ban once the first finished"));
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.json().path("detail").asText()).isEqualTo("Company 201 is already banned.");

    String unban = api.post("/api/companies/201/unban", "").json().path("jobId").asText();
    assertThat(awaitFinished(unban, Duration.ofSeconds(60)).path("status").asText())
        .isEqualTo("COMPLETED");
  }
}
