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
}
