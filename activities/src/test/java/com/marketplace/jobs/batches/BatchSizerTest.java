package com.marketplace.jobs.batches;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BatchSizerTest {

  private final BatchSizer sizer = new BatchSizer(50, 100, Duration.ofMillis(250));

  /** Runs {@code batches} batches, each taking {@code perRow} per row plus {@code delay}. */
  private void run(int batches, Duration perRow, Duration delay) {
    for (int i = 0; i < batches; i++) {
      int size = sizer.next();
      sizer.record(size, perRow.multipliedBy(size).plus(delay));
    }
  }

  @Test
  void startsAtTheLargestSizeAndStaysThereWhileBatchesAreFast() {
    assertThat(sizer.next()).isEqualTo(100);
    run(10, Duration.ofMillis(1), Duration.ZERO);
    assertThat(sizer.next()).isEqualTo(100);
  }

  @Test
  void anInjectedDelayShrinksTheSizeTowardTheMinimumAndItGrowsBackWhenTheDelayIsGone() {
    run(3, Duration.ofMillis(1), Duration.ZERO);
    assertThat(sizer.next()).isEqualTo(100);

    run(10, Duration.ofMillis(1), Duration.ofMillis(400));
    assertThat(sizer.next()).isEqualTo(50);
    assertThat(sizer.recentSizes()).isSortedAccordingTo((a, b) -> Integer.compare(b, a));

    run(10, Duration.ofMillis(1), Duration.ZERO);
    assertThat(sizer.next()).isEqualTo(100);
  }

  @Test
  void aModerateSlowdownLandsBetweenTheBounds() {
    // 3 ms per row: the ideal batch for 250 ms is about 83 rows.
    run(20, Duration.ofMillis(3), Duration.ZERO);
    assertThat(sizer.next()).isBetween(80, 86);
  }

  @Test
  void remembersTheLastTwentySizes() {
    run(30, Duration.ofMillis(1), Duration.ZERO);
    assertThat(sizer.recentSizes()).hasSize(20);
  }
}
