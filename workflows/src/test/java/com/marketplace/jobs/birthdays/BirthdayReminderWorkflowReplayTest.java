package com.marketplace.jobs.birthdays;

import static org.assertj.core.api.Assertions.assertThatCode;

import com.marketplace.jobs.testsupport.HistoryReplayer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Replays birthday runs recorded on the dev server (a local stack, exported decoded with {@code
 * temporal workflow show --output json --codec-endpoint …}) against today's workflow code and
 * ledger interceptor: one batch sent, a batch whose first attempt failed (503) and was sent by the
 * retry, and a run with nothing owed.
 */
class BirthdayReminderWorkflowReplayTest {

  private HistoryReplayer replayer;

  @BeforeEach
  void createWorker() {
    replayer = new HistoryReplayer(BirthdayReminderWorkflowImpl.class);
  }

  @AfterEach
  void close() {
    replayer.close();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "birthday-reminders-sent.json",
        "birthday-reminders-batch-retried.json",
        "birthday-reminders-nothing-owed.json"
      })
  void recordedHistoriesReplayWithoutNondeterminism(String history) {
    assertThatCode(() -> replayer.replay(history)).doesNotThrowAnyException();
  }
}
