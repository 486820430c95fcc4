package com.marketplace.jobs.common;

/**
 * The three tiers of work. The number is both the ledger's {@code priority} column and Temporal's
 * priority key: lower numbers are served first.
 */
public enum JobPriority {
  PAYMENT(1),
  CUSTOMER_FACING(2),
  INTERNAL(3);

  private final int key;

  JobPriority(int key) {
    this.key = key;
  }

  public int key() {
    return key;
  }

  public static JobPriority ofKey(int key) {
    for (JobPriority priority : values()) {
      if (priority.key == key) {
        return priority;
      }
    }
    throw new IllegalArgumentException("no priority with key " + key);
  }
}
