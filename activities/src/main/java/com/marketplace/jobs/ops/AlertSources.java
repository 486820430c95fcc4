package com.marketplace.jobs.ops;

import java.util.List;

/**
 * The alert conditions that are not a ledger row's status: stuck jobs and failing types (the stuck
 * rules shared with /ops) and missed scheduled runs (Temporal's schedule specs against the run
 * log). The worker implements it; tests give their own.
 */
public interface AlertSources {

  /** Every such condition now, each with its subject. */
  List<AlertCandidate> currentConditions();
}
