package com.marketplace.jobs.relay;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Which relay starts jobs, decided in PostgreSQL so no relay needs to know the others: a
 * <em>primary</em> (a worker's, no start delay) LISTENs on {@link WorkflowStartRelay#CHANNEL} and
 * holds a shared advisory lock on that same session; a <em>standby</em> (the api's) claims nothing
 * while anyone holds the lock. The lock lives exactly as long as the primary's connection, so a
 * killed worker's lock goes with it and the standby takes over at its next poll.
 *
 * <p>A standby does not LISTEN: it takes only jobs older than its delay, which its poll finds in
 * time, and being woken on every accepted job (hundreds a second in a burst) would only run empty
 * claims on the api's CPU while it answers the burst.
 */
final class PrimaryRelayLock {

  /**
   * The advisory lock (two-key form, apart from the one-key locks of the intake) every primary
   * relay holds, shared, while it runs: ("jobs", 1).
   */
  static final int LOCK_NAMESPACE = 0x6a6f6273;

  static final int PRIMARY_RELAY_LOCK = 1;

  // One log category for the whole relay, as before it was split into parts.
  private static final Logger log = LoggerFactory.getLogger(WorkflowStartRelay.class);

  private final JdbcClient jdbc;
  private final DataSource dataSource;
  private final Duration reconnectDelay;

  /** Whether this standby last found a primary connected (logged when it changes). */
  private volatile boolean stoodBy;

  private volatile boolean running;
  private Thread listener;

  PrimaryRelayLock(JdbcClient jdbc, DataSource dataSource, Duration reconnectDelay) {
    this.jdbc = jdbc;
    this.dataSource = dataSource;
    this.reconnectDelay = reconnectDelay;
  }

  /** Becomes a primary: holds the lock and calls {@code onNotify} whenever a job is accepted. */
  void holdAndListen(Runnable onNotify) {
    running = true;
    listener = RelayThreads.daemon("relay-listener", () -> listenLoop(onNotify));
    listener.start();
  }

  /** Releases the lock (with the session) and stops listening. */
  void release() {
    running = false;
    if (listener != null) {
      listener.interrupt();
    }
  }

  /** For a standby: whether to wait, because a primary relay is connected. */
  boolean standingBy(Duration startDelay) {
    boolean primaryConnected = primaryConnected();
    if (primaryConnected != stoodBy) {
      stoodBy = primaryConnected;
      log.info(
          primaryConnected
              ? "a worker's relay is connected; this relay stands by"
              : "no worker's relay is connected; this relay starts jobs older than {}",
          startDelay);
    }
    return primaryConnected;
  }

  /** Whether any primary relay holds its lock, in this database. */
  boolean primaryConnected() {
    return jdbc.sql(
            """
            SELECT EXISTS (SELECT 1 FROM pg_locks
                            WHERE locktype = 'advisory' AND granted AND objsubid = 2
                              AND classid = :namespace::oid AND objid = :lock::oid
                              AND database = (SELECT oid FROM pg_database
                                               WHERE datname = current_database()))
            """)
        .param("namespace", LOCK_NAMESPACE)
        .param("lock", PRIMARY_RELAY_LOCK)
        .query(Boolean.class)
        .single();
  }

  /** LISTEN and the lock on one session, held until the relay stops or the connection is lost. */
  private void listenLoop(Runnable onNotify) {
    while (running) {
      try (Connection connection = dataSource.getConnection()) {
        connection.setAutoCommit(true);
        try (Statement statement = connection.createStatement()) {
          statement.execute("LISTEN " + WorkflowStartRelay.CHANNEL);
          statement.execute(
              "SELECT pg_advisory_lock_shared(%d, %d)"
                  .formatted(LOCK_NAMESPACE, PRIMARY_RELAY_LOCK));
        }
        try {
          PGConnection postgres = connection.unwrap(PGConnection.class);
          while (running) {
            PGNotification[] notifications = postgres.getNotifications(1000);
            if (notifications != null && notifications.length > 0) {
              onNotify.run();
            }
          }
        } finally {
          // The connection goes back to the pool: leave no lock or subscription on it.
          try (Statement statement = connection.createStatement()) {
            statement.execute("UNLISTEN *");
            statement.execute("SELECT pg_advisory_unlock_all()");
          }
        }
      } catch (SQLException e) {
        if (running) {
          log.warn("relay lost its LISTEN connection; reconnecting ({})", e.getMessage());
          RelayThreads.sleepQuietly(reconnectDelay);
        }
      }
    }
  }
}
