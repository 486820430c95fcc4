package com.marketplace.jobs.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.marketplace.jobs.devstack.LocalStack;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The /ops page in headless Chromium against the running stack: signing in, counts that match the
 * ledger, and counts that follow new jobs without a reload.
 */
class OpsPageBrowserIT extends StackTest {

  private ChromeDriver browser;

  @BeforeEach
  void openBrowser() {
    browser = Browser.start();
  }

  @AfterEach
  void closeBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  private String opsUrl(String path) {
    return "http://127.0.0.1:" + stack.settings().apiPort() + path;
  }

  private void signIn(String user, String password) {
    browser.get(opsUrl("/ops"));
    assertThat(browser.getCurrentUrl()).endsWith("/ops/login");
    browser.findElement(By.id("username")).sendKeys(user);
    browser.findElement(By.id("password")).sendKeys(password);
    browser.findElement(By.id("sign-in")).click();
  }

  /** Read in one step: the live refresh may replace the element between a find and a read. */
  private long count(String status) {
    Object text =
        browser.executeScript(
            "return document.getElementById(arguments[0]).textContent;", "count-" + status);
    return Long.parseLong(String.valueOf(text).strip());
  }

  @Test
  void aWrongPasswordIsToldAndLetsNobodyIn() {
    signIn(LocalStack.OPS_VIEWER, "not-the-password");

    assertThat(browser.findElement(By.id("login-error")).getText())
        .isEqualTo("Wrong user name or password.");
    browser.get(opsUrl("/ops"));
    assertThat(browser.getCurrentUrl()).endsWith("/ops/login");
  }

  @Test
  void aViewerSeesTheLedgersCountsAndTheyFollowNewJobsWithoutAReload() {
    signIn(LocalStack.OPS_VIEWER, LocalStack.OPS_VIEWER_PASSWORD);
    browser.findElement(By.id("period-24h")).click();

    assertThat(browser.findElement(By.id("signed-in-as")).getText()).isEqualTo("viewer (viewer)");
    for (String status : new String[] {"PENDING", "PROCESSING", "COMPLETED", "FAILED"}) {
      assertThat(count(status))
          .as(status)
          .isEqualTo(
              sql.count(
                  "SELECT count(*) FROM jobs WHERE status = ?"
                      + " AND created_at > now() - interval '24 hours'",
                  status));
    }
    long completedBefore = count("COMPLETED");

    String jobId = api.post("/api/notifications", uniqueWelcome(42)).json().path("jobId").asText();
    awaitFinished(jobId, Duration.ofSeconds(30));

    new WebDriverWait(browser, Duration.ofSeconds(20))
        .until((WebDriver page) -> count("COMPLETED") == completedBefore + 1);
    assertThat(browser.findElement(By.cssSelector("tr[data-type='notification']")).isDisplayed())
        .isTrue();
  }

  @Test
  void signingOutClosesThePage() {
    signIn(LocalStack.OPS_OPERATOR, LocalStack.OPS_OPERATOR_PASSWORD);
    assertThat(browser.findElement(By.id("signed-in-as")).getText())
        .isEqualTo("operator (operator)");

    browser.findElement(By.id("sign-out")).click();
    browser.get(opsUrl("/ops"));

    assertThat(browser.getCurrentUrl()).endsWith("/ops/login");
  }

  /** A notification job Mailgun refuses for good: FAILED after its one attempt. */
  private String failedNotification() {
    stack.mail().failNext(1, 400);
    String jobId = api.post("/api/notifications", uniqueWelcome(42)).json().path("jobId").asText();
    assertThat(awaitFinished(jobId, Duration.ofSeconds(30)).path("status").asText())
        .isEqualTo("FAILED");
    return jobId;
  }

  private String jobStatus() {
    return browser.findElement(By.id("job-status")).getText();
  }

  @Test
  void anOperatorOpensAFailedJobClicksRetryAndWatchesItComplete() {
    String jobId = failedNotification();
    signIn(LocalStack.OPS_OPERATOR, LocalStack.OPS_OPERATOR_PASSWORD);

    browser.findElement(By.id("nav-failed")).click();
    browser.findElement(By.cssSelector("tr[data-job-id='" + jobId + "'] a.job-link")).click();
    assertThat(jobStatus()).isEqualTo("FAILED");
    assertThat(browser.findElement(By.id("job-error")).getText()).contains("PROVIDER_REJECTED");
    browser.findElement(By.id("retry")).click();

    assertThat(browser.findElement(By.id("notice")).getText()).startsWith("Retried: run ");
    new WebDriverWait(browser, Duration.ofSeconds(30))
        .until(
            page -> {
              page.navigate().refresh();
              return jobStatus().equals("COMPLETED");
            });
    assertThat(browser.findElement(By.id("job-resolution")).getText()).isEqualTo("RETRIED");
    assertThat(browser.findElement(By.id("retries")).getText()).contains("ops:operator");
    assertThat(stack.mail().acceptedForJob(jobId)).as("the retry sent the email once").hasSize(1);
    assertThat(jobRow(jobId))
        .containsEntry("status", "COMPLETED")
        .containsEntry("resolution", "RETRIED");
  }

  @Test
  void aViewerHasNoRetryButtonAndAForgedRetryIsRefused() {
    String jobId = failedNotification();
    signIn(LocalStack.OPS_VIEWER, LocalStack.OPS_VIEWER_PASSWORD);
    browser.get(opsUrl("/ops/jobs/" + jobId));

    assertThat(browser.findElements(By.id("retry"))).isEmpty();
    // The viewer's own session and CSRF token (from the sign-out form), posted by hand.
    Object status =
        browser.executeAsyncScript(
            """
            const done = arguments[arguments.length - 1];
            const token = document.querySelector('input[name="_csrf"]').value;
            fetch('/ops/jobs/%s/retry', {method: 'POST', credentials: 'same-origin',
                headers: {'Content-Type': 'application/x-www-form-urlencoded'},
                body: '_csrf=' + encodeURIComponent(token), redirect: 'manual'})
              .then(r => done(r.status)).catch(e => done(String(e)));
            """
                .formatted(jobId));

    assertThat(status).isEqualTo(403L);
    assertThat(jobRow(jobId))
        .containsEntry("status", "FAILED")
        .containsEntry("resolution", "UNRESOLVED");
  }

  @Test
  void aBulkRetryOverTheFilterRetriesEveryMatchingFailedJob() {
    String first = failedNotification();
    String second = failedNotification();
    signIn(LocalStack.OPS_OPERATOR, LocalStack.OPS_OPERATOR_PASSWORD);
    browser.get(opsUrl("/ops/failed?type=notification&period=1h"));
    long unresolved =
        sql.count(
            "SELECT count(*) FROM jobs WHERE type = 'notification' AND status = 'FAILED'"
                + " AND resolution = 'UNRESOLVED' AND created_at > now() - interval '1 hour'");

    browser.findElement(By.id("retry-all")).click();

    // Other tests' failures in the shared stack may match too, and some cannot be retried (a job
    // Temporal refused never started): the outcome names them, and ours are retried.
    String outcome = browser.findElement(By.cssSelector(".notice, .problem")).getText();
    assertThat(outcome).startsWith("Retried ").contains(" of " + unresolved + " failed jobs.");
    assertThat(outcome).doesNotContain(first).doesNotContain(second);
    assertThat(browser.getCurrentUrl()).contains("type=notification").contains("period=1h");
    for (String jobId : new String[] {first, second}) {
      assertThat(awaitFinished(jobId, Duration.ofSeconds(30)).path("status").asText())
          .isEqualTo("COMPLETED");
    }
  }

  @Test
  void aFailureFixedByHandIsMarkedResolvedWithAComment() {
    String jobId = failedNotification();
    signIn(LocalStack.OPS_OPERATOR, LocalStack.OPS_OPERATOR_PASSWORD);
    browser.get(opsUrl("/ops/jobs/" + jobId));

    browser.findElement(By.id("comment")).sendKeys("sent the welcome email by hand");
    browser.findElement(By.id("resolve")).click();

    assertThat(browser.findElement(By.id("notice")).getText()).isEqualTo("Marked resolved.");
    assertThat(browser.findElement(By.id("job-resolution")).getText()).isEqualTo("RESOLVED");
    assertThat(browser.findElement(By.id("job-resolved")).getText())
        .startsWith("ops:operator, ")
        .endsWith(": sent the welcome email by hand");
    assertThat(jobRow(jobId)).containsEntry("resolution", "RESOLVED");
  }

  @Test
  void theTemporalWebUiLinkOpensTheJobsWorkflow() {
    String jobId = failedNotification();
    signIn(LocalStack.OPS_VIEWER, LocalStack.OPS_VIEWER_PASSWORD);
    browser.get(opsUrl("/ops/jobs/" + jobId));
    String link = browser.findElement(By.id("temporal-link")).getAttribute("href");

    browser.get(link);

    assertThat(link)
        .isEqualTo(
            stack.temporal().uiUrl() + "/namespaces/default/workflows/notification-" + jobId);
    new WebDriverWait(browser, Duration.ofSeconds(30))
        .until(
            page ->
                page.findElement(By.tagName("body")).getText().contains("notification-" + jobId));
    assertThat(browser.findElement(By.tagName("body")).getText()).containsIgnoringCase("failed");
  }

  @Test
  void aViewerSeesAStuckJobWithWhyItIsListedAndOpensIt() {
    // Accepted 20 minutes ago and never handed to Temporal (the relay backing off): pending past
    // its due time by more than the 10 minutes' grace.
    String jobId = java.util.UUID.randomUUID().toString();
    sql.update(
        """
        INSERT INTO jobs (id, type, status, priority, workflow_id, workflow_type, task_queue,
                          payload, content_hash, created_at, updated_at, relay_next_attempt_at)
        VALUES (?::uuid, 'notification', 'PENDING', 2, ?, 'NotificationWorkflow',
                'background-jobs', '{}'::jsonb, ?, now() - interval '20 minutes',
                now() - interval '20 minutes', now() + interval '1 hour')
        """,
        jobId,
        "notification-" + jobId,
        jobId);
    try {
      signIn(LocalStack.OPS_VIEWER, LocalStack.OPS_VIEWER_PASSWORD);
      browser.findElement(By.id("nav-stuck")).click();

      assertThat(browser.findElement(By.id("stuck-rules")).getText())
          .contains("pending more than 10 min past the due time");
      var row = browser.findElement(By.cssSelector("tr[data-job-id='" + jobId + "']"));
      assertThat(row.getAttribute("data-reason")).isEqualTo("pending_overdue");
      assertThat(row.findElement(By.cssSelector("td.reason")).getText())
          .startsWith("pending_overdue ");
      assertThat(row.getText()).contains("notification");
      assertThat(browser.findElements(By.id("nothing-stuck"))).isEmpty();

      row.findElement(By.cssSelector("a.job-link")).click();
      assertThat(browser.getCurrentUrl()).endsWith("/ops/jobs/" + jobId);
      assertThat(jobStatus()).isEqualTo("PENDING");
      assertThat(browser.findElements(By.id("retry"))).as("a viewer never gets Retry").isEmpty();
    } finally {
      // Later tests start only once no job is pending.
      sql.update(
          "UPDATE jobs SET status = 'CANCELLED', finished_at = now() WHERE id = ?::uuid", jobId);
    }
  }

  @Test
  void theReliabilityReportShowsTheSameFiguresAsTheApi() {
    String failed = failedNotification();
    String jobId = api.post("/api/notifications", uniqueWelcome(42)).json().path("jobId").asText();
    awaitFinished(jobId, Duration.ofSeconds(30));
    signIn(LocalStack.OPS_VIEWER, LocalStack.OPS_VIEWER_PASSWORD);

    browser.findElement(By.id("nav-report")).click();
    String from = browser.findElement(By.id("report-from")).getAttribute("value");
    String to = browser.findElement(By.id("report-to")).getAttribute("value");
    assertThat(to)
        .as("the period ends today")
        .isEqualTo(java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString());

    var report = api.get("/api/reports/reliability?from=" + from + "&to=" + to).json();
    var overall = browser.findElement(By.cssSelector("#reliability tr[data-type='overall']"));
    var notification =
        browser.findElement(By.cssSelector("#reliability tr[data-type='notification']"));
    assertThat(cells(overall).get(1)).isEqualTo(report.path("overall").path("accepted").asText());
    var notificationFigures =
        java.util.stream.StreamSupport.stream(report.path("byType").spliterator(), false)
            .filter(type -> type.path("type").asText().equals("notification"))
            .findFirst()
            .orElseThrow();
    assertThat(cells(notification).get(1)).isEqualTo(notificationFigures.path("accepted").asText());
    assertThat(notificationFigures.path("failed").asLong())
        .as("the failed job %s is counted", failed)
        .isPositive();
    assertThat(cells(notification).get(2))
        .isEqualTo(
            String.format(
                java.util.Locale.ROOT,
                "%.2f %%",
                notificationFigures.path("successRate").asDouble() * 100));
  }

  /** The cells of a table row, as shown. */
  private static java.util.List<String> cells(org.openqa.selenium.WebElement row) {
    return row.findElements(By.tagName("td")).stream()
        .map(org.openqa.selenium.WebElement::getText)
        .toList();
  }
}
