package com.marketplace.jobs.api.jobs;

import java.util.UUID;

/** Where a job's status can be read. */
public final class JobLinks {

  private JobLinks() {}

  public static String statusPath(UUID jobId) {
    return "/api/jobs/" + jobId;
  }
}
