package com.marketplace.jobs.search;

import static org.assertj.core.api.Assertions.assertThatCode;

import com.marketplace.jobs.testsupport.HistoryReplayer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Replays re-index histories recorded on the dev server ({@code bin/bench reindex}, exported with
 * {@code temporal workflow show --run-id … --output json}) against today's workflow code and ledger
 * interceptor: the first run of the 100,000-vehicle re-index (count, 10 calls, continue-as-new),
 * its second run (one call that finds nothing left, completed) and a one-run re-index of the demo
 * data.
 */
class SearchReindexWorkflowReplayTest {

  private HistoryReplayer replayer;

  @BeforeEach
  void createWorker() {
    replayer = new HistoryReplayer(SearchReindexWorkflowImpl.class);
  }

  @AfterEach
  void close() {
    replayer.close();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "search-reindex-continued-as-new.json",
        "search-reindex-completed.json",
        "search-reindex-small.json"
      })
  void recordedHistoriesReplayWithoutNondeterminism(String history) {
    assertThatCode(() -> replayer.replay(history)).doesNotThrowAnyException();
  }
}
