package com.marketplace.jobs.marketplace;

import static org.assertj.core.api.Assertions.assertThatCode;

import com.marketplace.jobs.testsupport.HistoryReplayer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Replays Billion event histories recorded on the dev server (a stack like bin/run's, exported with
 * the SDK's {@code fetchHistory(...).toJson(true)}, the format of {@code temporal workflow show
 * --output json}) against today's workflow code and ledger interceptor: a change that would break
 * the workflows already running fails here.
 */
class MarketplaceEventWorkflowReplayTest {

  private HistoryReplayer replayer;

  @BeforeEach
  void createWorker() {
    replayer = new HistoryReplayer(MarketplaceEventWorkflowImpl.class);
  }

  @AfterEach
  void close() {
    replayer.close();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "marketplace-event-booking-confirmed.json",
        "marketplace-event-listing-removed.json"
      })
  void recordedHistoriesReplayWithoutNondeterminism(String history) {
    assertThatCode(() -> replayer.replay(history)).doesNotThrowAnyException();
  }
}
