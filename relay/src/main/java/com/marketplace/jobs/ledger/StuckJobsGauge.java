package com.marketplace.jobs.ledger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code jobs.stuck} gauge (Prometheus {@code jobs_stuck}), one series per {@link StuckReason}
 * (tag {@code reason}): the stuck jobs the last operations check found. Set by that check (every
 * minute in production), so it reads 0 until the first one.
 */
public class StuckJobsGauge {

  public static final String NAME = "jobs.stuck";

  private final Map<StuckReason, AtomicLong> counts = new EnumMap<>(StuckReason.class);

  public StuckJobsGauge(MeterRegistry meters) {
    for (StuckReason reason : StuckReason.values()) {
      AtomicLong count = new AtomicLong();
      counts.put(reason, count);
      Gauge.builder(NAME, count, AtomicLong::get)
          .description("Stuck jobs (and failing job types) found by the last operations check")
          .tag("reason", reason.tag())
          .register(meters);
    }
  }

  /** Sets every reason's count from one check's findings. */
  public void record(List<StuckJob> stuck) {
    counts.forEach(
        (reason, count) -> count.set(stuck.stream().filter(job -> job.reason() == reason).count()));
  }
}
