package com.marketplace.jobs.relay;

import java.time.Duration;

/** The relay's threads are daemons, so a process that forgot to stop its relay still exits. */
final class RelayThreads {

  private RelayThreads() {}

  static Thread daemon(String name, Runnable task) {
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    return thread;
  }

  static void sleepQuietly(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
