package com.marketplace.jobs.common;

/** Task queue names: the only place they are spelled out in Java. */
public final class TaskQueues {

  /**
   * One queue for every job type; Temporal task-queue priority (see {@link JobPriority}) puts
   * payments before notifications before internal work when the workers are saturated.
   */
  public static final String JOBS = "background-jobs";

  private TaskQueues() {}
}
