package com.marketplace.jobs.payments;

import static org.assertj.core.api.Assertions.assertThatCode;

import com.marketplace.jobs.testsupport.HistoryReplayer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Replays payment workflow histories recorded on the dev server (the system test stack: api,
 * worker, stripe-mock behind the proxy; exported with {@code WorkflowClient.fetchHistory}) against
 * today's workflow code and ledger interceptor: a change that would break running payment jobs
 * fails here. Record new ones whenever the workflow changes shape.
 */
class PaymentEventWorkflowReplayTest {

  private HistoryReplayer replayer;

  @BeforeEach
  void createWorker() {
    replayer = new HistoryReplayer(PaymentEventWorkflowImpl.class);
  }

  @AfterEach
  void close() {
    replayer.close();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "payment-captured.json",
        "payment-retried-then-captured.json",
        "payment-rejected-then-alerted.json",
        "payment-refunded.json"
      })
  void recordedHistoriesReplayWithoutNondeterminism(String history) {
    assertThatCode(() -> replayer.replay(history)).doesNotThrowAnyException();
  }
}
