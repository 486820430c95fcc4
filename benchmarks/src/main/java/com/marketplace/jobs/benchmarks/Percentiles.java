package com.marketplace.jobs.benchmarks;

import java.util.List;

/** p50/p95/p99 of microsecond samples, printed in milliseconds. */
record Percentiles(int samples, double p50, double p95, double p99, double max) {

  static Percentiles ofMicros(List<Long> micros) {
    List<Long> sorted = micros.stream().sorted().toList();
    if (sorted.isEmpty()) {
      return new Percentiles(0, 0, 0, 0, 0);
    }
    return new Percentiles(
        sorted.size(),
        at(sorted, 0.50),
        at(sorted, 0.95),
        at(sorted, 0.99),
        sorted.get(sorted.size() - 1) / 1000.0);
  }

  private static double at(List<Long> sorted, double quantile) {
    int index = (int) Math.ceil(quantile * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1))) / 1000.0;
  }

  @Override
  public String toString() {
    return "p50 %7.1f ms  p95 %7.1f ms  p99 %7.1f ms  max %7.1f ms  (n=%d)"
        .formatted(p50, p95, p99, max, samples);
  }
}
