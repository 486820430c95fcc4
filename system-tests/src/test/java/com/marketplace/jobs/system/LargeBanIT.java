package com.marketplace.jobs.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A ban of a company with 10,000 vehicles and 10,000 orders, with the worker process killed (not
 * shut down) in the middle of a bulk step and started again: the ban completes and ends exactly as
 * specified.
 */
class LargeBanIT extends StackTest {

  private static final long COMPANY = 911;
  private static final int SIZE = 10_000;

  private final LargeCompany company = LargeCompany.of(COMPANY, SIZE);

  @BeforeEach
  void seedALargeCompanyOnTheMarketplaceAndInTheIndex() {
    company.create(stack, sql);
    assertThat(indexed(COMPANY)).hasSize(SIZE);
    assertThat(stack.marketplace().listed(COMPANY)).hasSize(SIZE);
  }

  @AfterEach
  void removeTheLargeCompany() {
    company.delete(stack, sql);
  }

  @Test
  void aBanWhoseWorkerIsKilledMidStepCompletesExactlyAfterTheRestart() {
    String job =
        api.post("/api/companies/" + COMPANY + "/ban", BanReasons.body("Crash test of a large ban"))
            .json()
            .path("jobId")
            .asText();
    // Kill the worker once the vehicles step is well under way (1 company row + 10,000 vehicles).
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> progress(job) >= 2_000);
    stack.worker().kill();
    long atKill = progress(job);
    assertThat(atKill).as("killed in the middle").isLessThan(1 + 2L * SIZE);
    stack.worker().start().awaitHealthy(Duration.ofMinutes(2));

    // The steps an operator sees on the job while it runs, the external ones included.
    java.util.Set<String> stepsSeen = new java.util.LinkedHashSet<>();
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () -> {
              Map<String, Object> row = jobRow(job);
              if (row.get("progress_step") != null) {
                stepsSeen.add(((String) row.get("progress_step")).replaceAll(" \\(.*", ""));
              }
              return FINISHED.contains((String) row.get("status"));
            });
    JsonNode done = awaitFinished(job, Duration.ofSeconds(10));
    assertThat(stepsSeen)
        .contains("deactivate orders", "remove from search index", "withdraw marketplace listings");

    assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("COMPLETED");
    assertThat(done.path("progress").path("completed").asLong()).isEqualTo(1 + 2L * SIZE);
    assertThat(done.path("progress").path("total").asLong()).isEqualTo(1 + 2L * SIZE);
    assertThat(
            sql.count("SELECT count(*) FROM companies WHERE id = ? AND status = 'BANNED'", COMPANY))
        .isEqualTo(1);
    assertThat(
            sql.count("SELECT count(*) FROM vehicles WHERE company_id = ? AND published", COMPANY))
        .isZero();
    assertThat(
            sql.count(
                "SELECT count(*) FROM orders WHERE company_id = ? AND status = 'DEACTIVATED'",
                COMPANY))
        .isEqualTo(SIZE);
    for (String entity : List.of("VEHICLE", "ORDER", "SEARCH_DOCUMENT", "LISTING")) {
      assertThat(
              sql.count(
                  "SELECT count(*) FROM moderation_changes WHERE job_id = ?::uuid AND entity = ?",
                  job,
                  entity))
          .as(entity + " records")
          .isEqualTo(SIZE);
    }
    assertThat(stack.marketplace().listed(COMPANY)).isEmpty();
    assertThat(indexed(COMPANY)).isEmpty();
    String notice = awaitFollowUpFinished(job).path("jobId").asText();
    assertThat(stack.mail().acceptedForJob(notice)).hasSize(1);
  }

  private long progress(String job) {
    Object completed = jobRow(job).get("progress_completed");
    return completed == null ? 0 : ((Number) completed).longValue();
  }
}
