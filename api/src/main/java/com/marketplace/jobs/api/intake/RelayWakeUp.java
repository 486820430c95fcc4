package com.marketplace.jobs.api.intake;

import com.marketplace.jobs.relay.WorkflowStartRelay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Wakes the workers' relays after jobs are accepted: one {@code NOTIFY} on its own thread for
 * however many jobs were accepted since the last one.
 *
 * <p>Not inside the intake's transaction: PostgreSQL serialises the commits of every transaction
 * that notifies, each with its own WAL flush, so in a burst of 500 requests the answers queued
 * behind one another's disk writes. Without it, the commits of a burst share their flushes. A wake
 * up lost in a crash costs nothing: the relays also poll every second.
 */
@Component
public class RelayWakeUp implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(RelayWakeUp.class);

  private final JdbcClient jdbc;
  private final Object signal = new Object();
  private boolean due;
  private volatile boolean running;
  private Thread notifier;

  RelayWakeUp(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** A job was committed: the relays should look soon. Never blocks. */
  void jobAccepted() {
    synchronized (signal) {
      due = true;
      signal.notifyAll();
    }
  }

  @Override
  public void start() {
    running = true;
    notifier = new Thread(this::notifyLoop, "relay-wake-up");
    notifier.setDaemon(true);
    notifier.start();
  }

  @Override
  public void stop() {
    running = false;
    notifier.interrupt();
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  private void notifyLoop() {
    while (running) {
      try {
        synchronized (signal) {
          while (!due) {
            signal.wait();
          }
          due = false;
        }
        jdbc.sql("NOTIFY " + WorkflowStartRelay.CHANNEL).update();
      } catch (InterruptedException e) {
        return;
      } catch (DataAccessException e) {
        log.warn(
            "could not wake the relays ({}); they will find the jobs by polling", e.getMessage());
        try {
          Thread.sleep(1000);
        } catch (InterruptedException interrupted) {
          return;
        }
      }
    }
  }
}
