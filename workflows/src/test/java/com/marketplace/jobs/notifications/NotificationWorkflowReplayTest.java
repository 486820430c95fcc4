package com.marketplace.jobs.notifications;

import static org.assertj.core.api.Assertions.assertThatCode;

import com.marketplace.jobs.testsupport.HistoryReplayer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Replays histories recorded from real runs on the dev server (bin/run, exported with {@code
 * temporal workflow show --output json}) against today's workflow code and ledger interceptor: a
 * change that would break the workflows already running in production fails here.
 */
class NotificationWorkflowReplayTest {

  private HistoryReplayer replayer;

  @BeforeEach
  void createWorker() {
    replayer = new HistoryReplayer(NotificationWorkflowImpl.class);
  }

  @AfterEach
  void close() {
    replayer.close();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "notification-completed.json",
        "notification-retried-then-completed.json",
        "notification-rejected-by-mailgun.json"
      })
  void recordedHistoriesReplayWithoutNondeterminism(String history) {
    assertThatCode(() -> replayer.replay(history)).doesNotThrowAnyException();
  }
}
