package com.marketplace.jobs.common;

import java.util.Optional;

/**
 * Every kind of job the service runs: its name in the ledger and the API, the workflow type that
 * runs it, the task queue and the priority tier. The relay starts workflows from this table, so a
 * job type exists exactly when it is listed here.
 *
 * <p>A workflow type that a Temporal Schedule starts ({@code jobs.schedules.tasks.*.workflow-type})
 * needs its entry here too: the worker refuses a schedule whose workflow type has none, and records
 * each scheduled run in the ledger under it ({@link #byWorkflowType}). Such a workflow takes no
 * arguments; its runs' ledger rows are written by the worker, never by the relay.
 */
public enum JobType {
  NOTIFICATION(
      "notification", "NotificationWorkflow", TaskQueues.JOBS, JobPriority.CUSTOMER_FACING),
  /**
   * An email to a company about its ban or unban, accepted by that job once it committed (its
   * follow-up); job id derived from the moderation job's.
   */
  COMPANY_NOTICE(
      "company_notice", "CompanyNoticeWorkflow", TaskQueues.JOBS, JobPriority.CUSTOMER_FACING),
  COMPANY_BAN("company_ban", "CompanyBanWorkflow", TaskQueues.JOBS, JobPriority.INTERNAL),
  COMPANY_UNBAN("company_unban", "CompanyUnbanWorkflow", TaskQueues.JOBS, JobPriority.INTERNAL),
  MARKETPLACE_TOGGLE(
      "marketplace_toggle", "MarketplaceToggleWorkflow", TaskQueues.JOBS, JobPriority.INTERNAL),
  /** One verified Stripe webhook event; job and workflow ids derive from the Stripe event id. */
  PAYMENT_EVENT("payment_event", "PaymentEventWorkflow", TaskQueues.JOBS, JobPriority.PAYMENT),
  SEARCH_REINDEX("search_reindex", "SearchReindexWorkflow", TaskQueues.JOBS, JobPriority.INTERNAL),
  /**
   * One verified Billion marketplace event (a listing taken down, a booking made or cancelled); job
   * and workflow ids derive from Billion's event id. A customer waits on a booking's answer.
   */
  MARKETPLACE_EVENT(
      "marketplace_event",
      "MarketplaceEventWorkflow",
      TaskQueues.JOBS,
      JobPriority.CUSTOMER_FACING),
  /**
   * One run of the daily vehicle reminders (the {@code vehicle-reminders} schedule): emails to
   * companies about their vehicles' inspection, insurance and maintenance due dates.
   */
  VEHICLE_REMINDERS(
      "vehicle_reminders", "VehicleReminderWorkflow", TaskQueues.JOBS, JobPriority.INTERNAL),
  /**
   * One birthday run, started every 15 minutes by the Temporal Schedule {@code birthday-reminders}
   * (no arguments; the scheduled-run interceptor gives it a ledger row): reminders due now, in
   * Mailgun batches.
   */
  BIRTHDAY_REMINDERS(
      "birthday_reminders",
      "BirthdayReminderWorkflow",
      TaskQueues.JOBS,
      JobPriority.CUSTOMER_FACING),
  /**
   * Scheduled: deletes run-log rows ({@code schedule_runs}) older than {@code
   * jobs.schedules.run-log-retention}, in batches.
   */
  SCHEDULE_RUNS_RETENTION(
      "schedule_runs_retention",
      "ScheduleRunsRetentionWorkflow",
      TaskQueues.JOBS,
      JobPriority.INTERNAL),
  /**
   * Scheduled, daily: rolls the ledger up into {@code job_daily_rollups}, then deletes finished
   * jobs older than {@code jobs.retention.completed-after} with the records that belong only to
   * them.
   */
  JOB_RETENTION("job_retention", "JobRetentionWorkflow", TaskQueues.JOBS, JobPriority.INTERNAL),
  /**
   * Scheduled every minute ({@code ops-alerts}): finds failed and stuck jobs, failing job types and
   * missed scheduled runs not yet alerted, and sends each alert by email and to the webhook.
   */
  OPS_ALERTS("ops_alerts", "OpsAlertsWorkflow", TaskQueues.JOBS, JobPriority.INTERNAL),
  /**
   * Scheduled every 30 minutes ({@code purchase-status-checks}): asks the purchase provider about
   * every pending vehicle purchase, records completed and failed ones, flags the ones pending too
   * long and emails their companies once.
   */
  PURCHASE_STATUS_CHECKS(
      "purchase_status_checks",
      "PurchaseStatusCheckWorkflow",
      TaskQueues.JOBS,
      JobPriority.INTERNAL),
  /**
   * Scheduled, daily ({@code plan-limit-checks}): each tenant's usage against its plan; warns the
   * administrator at 80%, holds back the vehicles beyond the limit at 100%, restores them when the
   * tenant is back under it.
   */
  PLAN_LIMIT_CHECKS(
      "plan_limit_checks", "PlanLimitCheckWorkflow", TaskQueues.JOBS, JobPriority.INTERNAL),
  /**
   * Scheduled every 15 minutes, 30 at most ({@code calendar-sync}): every company's Google Calendar
   * into availability blocks on its vehicles, and the blocks overlapping active orders flagged.
   */
  CALENDAR_SYNC("calendar_sync", "CalendarSyncWorkflow", TaskQueues.JOBS, JobPriority.INTERNAL);

  private final String id;
  private final String workflowType;
  private final String taskQueue;
  private final JobPriority priority;

  JobType(String id, String workflowType, String taskQueue, JobPriority priority) {
    this.id = id;
    this.workflowType = workflowType;
    this.taskQueue = taskQueue;
    this.priority = priority;
  }

  /** The name used in the ledger, in workflow ids and in the HTTP API. */
  public String id() {
    return id;
  }

  public String workflowType() {
    return workflowType;
  }

  public String taskQueue() {
    return taskQueue;
  }

  public JobPriority priority() {
    return priority;
  }

  /** Workflow ids derive from job ids, so a second start of the same job is refused by Temporal. */
  public String workflowIdFor(String jobId) {
    return id + "-" + jobId;
  }

  /** The job type whose workflow type is {@code workflowType}: how scheduled runs find theirs. */
  public static Optional<JobType> byWorkflowType(String workflowType) {
    for (JobType type : values()) {
      if (type.workflowType.equals(workflowType)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }

  public static Optional<JobType> byId(String id) {
    for (JobType type : values()) {
      if (type.id.equals(id)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }
}
