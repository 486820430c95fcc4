package com.marketplace.jobs.api.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.marketplace.jobs.api.testsupport.MigratedPostgres;
import com.marketplace.jobs.relay.WorkflowStartRelay;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The relays hear of accepted jobs at once, however many arrive together. */
class RelayWakeUpTest {

  private final DataSource dataSource = MigratedPostgres.shared();
  private final RelayWakeUp wakeUp = new RelayWakeUp(JdbcClient.create(dataSource));

  @AfterEach
  void stop() {
    wakeUp.stop();
  }

  @Test
  void acceptedJobsWakeAListeningRelayWithinMilliseconds_aBurstWithFewerNotifies()
      throws Exception {
    try (Connection listener = dataSource.getConnection()) {
      try (Statement statement = listener.createStatement()) {
        statement.execute("LISTEN " + WorkflowStartRelay.CHANNEL);
      }
      PGConnection pg = listener.unwrap(PGConnection.class);
      wakeUp.start();

      long sent = System.nanoTime();
      wakeUp.jobAccepted();
      PGNotification[] first = pg.getNotifications(2000);
      long millis = (System.nanoTime() - sent) / 1_000_000;
      assertThat(first).as("a NOTIFY after one accepted job").isNotNull().isNotEmpty();
      assertThat(millis).as("woken in milliseconds, not at the next poll").isLessThan(500);

      for (int i = 0; i < 500; i++) {
        wakeUp.jobAccepted();
      }
      List<PGNotification> burst = new ArrayList<>();
      PGNotification[] received;
      while ((received = pg.getNotifications(300)) != null && received.length > 0) {
        burst.addAll(List.of(received));
      }
      assertThat(burst).as("a burst still wakes the relays").isNotEmpty();
      assertThat(burst.size()).as("one NOTIFY per batch, not per job").isLessThan(500);
    }
  }
}
