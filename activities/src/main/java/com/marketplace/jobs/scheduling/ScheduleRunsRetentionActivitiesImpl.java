package com.marketplace.jobs.scheduling;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Deletes the oldest expired run-log rows first, one batch per transaction. */
@Component
public class ScheduleRunsRetentionActivitiesImpl implements ScheduleRunsRetentionActivities {

  private final JdbcClient jdbc;
  private final RunLogProperties properties;

  public ScheduleRunsRetentionActivitiesImpl(JdbcClient jdbc, RunLogProperties properties) {
    this.jdbc = jdbc;
    this.properties = properties;
  }

  @Override
  public int deleteExpiredRunBatch(int limit) {
    return jdbc.sql(
            """
            DELETE FROM schedule_runs
             WHERE (workflow_id, run_id) IN (
                   SELECT workflow_id, run_id FROM schedule_runs
                    WHERE scheduled_at < now() - make_interval(secs => :retentionSeconds)
                    ORDER BY scheduled_at
                    LIMIT :limit)
            """)
        .param("retentionSeconds", properties.runLogRetention().toSeconds())
        .param("limit", limit)
        .update();
  }
}
