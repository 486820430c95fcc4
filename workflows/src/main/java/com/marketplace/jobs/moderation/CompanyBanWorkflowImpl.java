package com.marketplace.jobs.moderation;

import com.marketplace.jobs.notifications.CompanyNoticeRequest;
import com.marketplace.jobs.notifications.EmailTemplate;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Workflow;
import java.util.Set;

public class CompanyBanWorkflowImpl implements CompanyBanWorkflow {

  /** Activity types that are one statement (no heartbeat); see {@link Saga#SHORT_STEP}. */
  static final Set<String> SHORT_ACTIVITIES =
      Set.of("CountBanScope", "CountUnbanScope", "ChangeCompanyStatus", "RestoreCompany", "Fence");

  private final ModerationActivities steps =
      Saga.forwardSteps(ModerationActivities.class, SHORT_ACTIVITIES);
  private final ModerationActivities undo =
      Saga.compensations(ModerationActivities.class, SHORT_ACTIVITIES);
  private final ModerationActivities reads =
      Workflow.newLocalActivityStub(ModerationActivities.class, Saga.LOCAL_READ);
  private final ModerationActivities followUps =
      Workflow.newActivityStub(ModerationActivities.class, Saga.FOLLOW_UP_OPTIONS);
  private Saga saga = new Saga("Ban", () -> {});

  @Override
  public ModerationResult ban(BanRequest request) {
    String jobId = request.jobId();
    long companyId = request.companyId();
    saga = new Saga("Ban of company " + companyId, () -> undo.fence(new JobStep(jobId)));
    ModerationResult result;
    try {
      result = apply(request);
      // A run after `temporal workflow reset` of a rolled-back ban finds some of its changes
      // restored, and steps before the reset point are not run again: apply every step once more
      // (each is idempotent and makes restored records current), so the ban ends fully applied.
      if (reads.restoredChanges(new JobStep(jobId)) > 0) {
        result = apply(request);
      }
    } catch (ActivityFailure | CanceledFailure failure) {
      throw saga.rollBack(failure);
    }
    CompanyNoticeRequest notice =
        CompanyNoticeRequest.of(jobId, companyId, EmailTemplate.COMPANY_BANNED, request.reason());
    Saga.afterCommit("company notice", () -> followUps.requestCompanyNotice(notice));
    return result;
  }

  private ModerationResult apply(BanRequest request) {
    String jobId = request.jobId();
    long companyId = request.companyId();
    ModerationScope scope =
        saga.step(
            "count rows",
            0,
            0,
            null,
            null,
            () -> steps.countBanScope(new CompanyStep(jobId, companyId)));
    long total = scope.total();
    saga.step(
        "ban company",
        0,
        total,
        "company status",
        () -> undo.restoreCompany(new JobStep(jobId)),
        () -> {
          steps.changeCompanyStatus(
              new CompanyStatusChange(
                  jobId, companyId, CompanyStatus.ACTIVE, CompanyStatus.BANNED));
          return null;
        });
    long vehicles =
        saga.step(
            "unpublish vehicles",
            1,
            total,
            "vehicles",
            () -> undo.restoreVehicles(new JobStep(jobId)),
            () ->
                steps.unpublishVehicles(
                    new CompanyBatchStep(
                        jobId, companyId, new BatchProgress("unpublish vehicles", 1, total))));
    long orders =
        saga.step(
            "deactivate orders",
            1 + vehicles,
            total,
            "orders",
            () -> undo.restoreOrders(new JobStep(jobId)),
            () ->
                steps.deactivateOrders(
                    new CompanyBatchStep(
                        jobId,
                        companyId,
                        new BatchProgress("deactivate orders", 1 + vehicles, total))));
    saga.step(
        "remove from search index",
        1 + vehicles + orders,
        total,
        "search index",
        () -> undo.restoreSearch(new JobStep(jobId)),
        () -> steps.removeFromSearch(new JobStep(jobId)));
    saga.step(
        "withdraw marketplace listings",
        1 + vehicles + orders,
        total,
        "marketplace listings",
        () -> undo.restoreListings(new CompanyStep(jobId, companyId)),
        () -> steps.withdrawListings(new CompanyStep(jobId, companyId)));
    saga.progress("done", 1 + vehicles + orders, 1 + vehicles + orders);
    return new ModerationResult(jobId, companyId, vehicles, orders);
  }

  @Override
  public ModerationProgress progress() {
    return saga.progress();
  }
}
