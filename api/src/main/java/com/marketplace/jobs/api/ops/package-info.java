/**
 * The /ops page: what IT administrators and support agents see of the service, server-rendered
 * (Thymeleaf, plain fetch for the live parts, no front-end build), behind a login of its own
 * ({@link com.marketplace.jobs.api.ops.OpsSecurityConfig}): users and roles from configuration,
 * {@code viewer} reads, {@code operator} may also act. {@link
 * com.marketplace.jobs.api.ops.OpsReportController} shows the reliability report.
 */
package com.marketplace.jobs.api.ops;
