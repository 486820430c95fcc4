package com.marketplace.jobs.system;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium from the operating system's packages ({@code chromium} and {@code
 * chromium-driver} on Debian; {@code .ci/run} installs them), driven through its own chromedriver:
 * no browser or driver is ever downloaded. {@code CHROMIUM} and {@code CHROMEDRIVER} point at other
 * binaries.
 */
final class Browser {

  private Browser() {}

  static ChromeDriver start() {
    Path chromium = binary("CHROMIUM", "/usr/bin/chromium");
    Path driver = binary("CHROMEDRIVER", "/usr/bin/chromedriver");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium.toFile());
    options.addArguments(
        "--headless=new",
        // Root (as in CI) cannot use Chromium's sandbox.
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--window-size=1280,900");
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(driver.toString()))
            .usingAnyFreePort()
            .build();
    ChromeDriver browser = new ChromeDriver(service, options);
    browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    // A click that submits a form may return before the next page is there: look for an element
    // for up to 5 s before calling it missing.
    browser.manage().timeouts().implicitlyWait(Duration.ofSeconds(5));
    return browser;
  }

  private static Path binary(String variable, String fallback) {
    String configured = System.getenv(variable);
    Path path = Path.of(configured == null || configured.isBlank() ? fallback : configured);
    if (!Files.isExecutable(path)) {
      throw new IllegalStateException(
          path
              + " is missing: the browser tests need Debian's chromium and chromium-driver"
              + " (apt-get install -y chromium chromium-driver; .ci/run does it), or "
              + variable
              + " pointing at the binary");
    }
    return path;
  }
}
