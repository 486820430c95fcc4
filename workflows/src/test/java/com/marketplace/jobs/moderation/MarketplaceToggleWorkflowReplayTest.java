package com.marketplace.jobs.moderation;

import static org.assertj.core.api.Assertions.assertThatCode;

import com.marketplace.jobs.testsupport.HistoryReplayer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Replays marketplace toggle histories recorded on the dev server (a stack like bin/run's, exported
 * with the SDK's {@code fetchHistory(...).toJson(true)}, the format of {@code temporal workflow
 * show --output json}) against today's workflow code and ledger interceptor: a change that would
 * break the workflows already running fails here.
 */
class MarketplaceToggleWorkflowReplayTest {

  private HistoryReplayer replayer;

  @BeforeEach
  void createWorker() {
    replayer = new HistoryReplayer(MarketplaceToggleWorkflowImpl.class);
  }

  @AfterEach
  void close() {
    replayer.close();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"marketplace-toggle-completed.json", "marketplace-toggle-rolled-back.json"})
  void recordedHistoriesReplayWithoutNondeterminism(String history) {
    assertThatCode(() -> replayer.replay(history)).doesNotThrowAnyException();
  }
}
