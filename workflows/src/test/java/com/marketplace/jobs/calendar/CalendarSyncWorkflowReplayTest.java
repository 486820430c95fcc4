package com.marketplace.jobs.calendar;

import static org.assertj.core.api.Assertions.assertThatCode;

import com.marketplace.jobs.testsupport.HistoryReplayer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Replays calendar sync runs recorded on the dev server (bin/run, the demo integration against the
 * Google Calendar fake, started with {@code temporal workflow start --type CalendarSyncWorkflow};
 * exported with {@code temporal workflow show --output json}, payloads decrypted with the local
 * stack's key) against today's workflow code and ledger interceptor: a first run that synced the
 * demo calendar in full and flagged its conflict, and a run whose sync failed every attempt (the
 * fake answering 503) and was recorded on the integration.
 */
class CalendarSyncWorkflowReplayTest {

  private HistoryReplayer replayer;

  @BeforeEach
  void createWorker() {
    replayer = new HistoryReplayer(CalendarSyncWorkflowImpl.class);
  }

  @AfterEach
  void close() {
    replayer.close();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"calendar-sync-conflict-flagged.json", "calendar-sync-integration-failed.json"})
  void recordedHistoriesReplayWithoutNondeterminism(String history) {
    assertThatCode(() -> replayer.replay(history)).doesNotThrowAnyException();
  }
}
