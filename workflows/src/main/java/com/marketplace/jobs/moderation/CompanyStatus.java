package com.marketplace.jobs.moderation;

/** {@code companies.status}: the platform's contract allows exactly these. */
public enum CompanyStatus {
  ACTIVE,
  BANNED
}
