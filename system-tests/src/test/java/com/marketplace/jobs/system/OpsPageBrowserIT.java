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

  private long count(String status) {
    return Long.parseLong(browser.findElement(By.id("count-" + status)).getText().strip());
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
}
