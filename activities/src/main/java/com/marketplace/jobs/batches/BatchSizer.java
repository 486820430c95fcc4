package com.marketplace.jobs.batches;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Picks the next batch size from how long the last batches took against a target duration, within a
 * range. Starts at the largest size; a batch that took longer than the target per row shrinks the
 * next one (halfway to the ideal size, so one slow batch does not swing it to the minimum), a fast
 * one grows it back. The time includes lock waits and the database's own load, which is how a busy
 * database makes batches smaller.
 */
public final class BatchSizer {

  private static final int REMEMBERED = 20;

  private final int min;
  private final int max;
  private final double targetNanos;
  private final List<Integer> used = new ArrayList<>();
  private int next;

  public BatchSizer(int min, int max, Duration target) {
    this.min = min;
    this.max = max;
    this.targetNanos = target.toNanos();
    this.next = max;
  }

  public int next() {
    return next;
  }

  /** Records that a batch of {@code size} rows took {@code took}, and sizes the next one. */
  public void record(int size, Duration took) {
    used.add(size);
    if (used.size() > REMEMBERED) {
      used.remove(0);
    }
    double nanosPerRow = Math.max(1, took.toNanos()) / (double) Math.max(1, size);
    double ideal = targetNanos / nanosPerRow;
    next = (int) Math.round(Math.max(min, Math.min(max, (next + ideal) / 2)));
  }

  /** The sizes of the last batches, oldest first (at most 20), for the job's progress. */
  public List<Integer> recentSizes() {
    return List.copyOf(used);
  }
}
