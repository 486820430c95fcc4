package com.marketplace.jobs.purchases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code jobs.purchases.*}: a timeout that could outlast the check's heartbeat timeout, or a stuck
 * limit that is not positive, is refused with a message naming the property; the key never shows.
 */
class PurchasePropertiesTest {

  private static final URI BASE = URI.create("https://purchases.example");

  @Test
  void theDefaultsAreAccepted() {
    PurchaseProperties properties =
        new PurchaseProperties(BASE, "secret-key", Duration.ofSeconds(10), Duration.ofDays(7));

    assertThat(properties.toString()).contains("purchases.example").doesNotContain("secret-key");
  }

  @Test
  void aTimeoutWhoseWorstCaseReachesTheHeartbeatTimeoutIsRefused() {
    assertThatThrownBy(
            () -> new PurchaseProperties(BASE, "key", Duration.ofSeconds(15), Duration.ofDays(7)))
        .hasMessageContaining("jobs.purchases.timeout (PT15S)")
        .hasMessageContaining("below PT15S");
    assertThatThrownBy(() -> new PurchaseProperties(BASE, "key", Duration.ZERO, Duration.ofDays(7)))
        .hasMessageContaining("jobs.purchases.timeout");
  }

  @Test
  void aStuckLimitThatIsNotPositiveIsRefused() {
    assertThatThrownBy(
            () -> new PurchaseProperties(BASE, "key", Duration.ofSeconds(10), Duration.ofDays(-1)))
        .hasMessage("jobs.purchases.stuck-after (PT-24H) must be positive");
  }
}
