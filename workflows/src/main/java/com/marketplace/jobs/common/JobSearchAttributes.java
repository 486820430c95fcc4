package com.marketplace.jobs.common;

import io.temporal.common.SearchAttributeKey;

/**
 * Custom search attributes set on every job's workflow, so operators can filter in the Web UI and
 * with {@code temporal workflow list --query 'JobType="notification"'}. The dev server registers
 * them at start (bin/run, the test stack, docker-compose.temporal.yml).
 */
public final class JobSearchAttributes {

  public static final SearchAttributeKey<String> JOB_TYPE =
      SearchAttributeKey.forKeyword("JobType");
  public static final SearchAttributeKey<String> JOB_ID = SearchAttributeKey.forKeyword("JobId");
  public static final SearchAttributeKey<String> COMPANY_ID =
      SearchAttributeKey.forKeyword("CompanyId");
  public static final SearchAttributeKey<String> TENANT_ID =
      SearchAttributeKey.forKeyword("TenantId");

  private JobSearchAttributes() {}
}
