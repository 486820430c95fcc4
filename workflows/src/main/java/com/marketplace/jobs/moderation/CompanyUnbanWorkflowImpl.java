package com.marketplace.jobs.moderation;

import com.marketplace.jobs.notifications.CompanyNoticeRequest;
import com.marketplace.jobs.notifications.EmailTemplate;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Workflow;

public class CompanyUnbanWorkflowImpl implements CompanyUnbanWorkflow {

  private final ModerationActivities steps =
      Saga.forwardSteps(ModerationActivities.class, CompanyBanWorkflowImpl.SHORT_ACTIVITIES);
  private final ModerationActivities undo =
      Saga.compensations(ModerationActivities.class, CompanyBanWorkflowImpl.SHORT_ACTIVITIES);
  private final ModerationActivities reads =
      Workflow.newLocalActivityStub(ModerationActivities.class, Saga.LOCAL_READ);
  private final ModerationActivities followUps =
      Workflow.newActivityStub(ModerationActivities.class, Saga.FOLLOW_UP_OPTIONS);
  private Saga saga = new Saga("Unban", () -> {});

  @Override
  public ModerationResult unban(UnbanRequest request) {
    String jobId = request.jobId();
    long companyId = request.companyId();
    saga = new Saga("Unban of company " + companyId, () -> undo.fence(new JobStep(jobId)));
    ModerationResult result;
    try {
      result = apply(request);
      // After a reset of a rolled-back unban, apply once more: see CompanyBanWorkflowImpl.
      if (reads.restoredChanges(new JobStep(jobId)) > 0) {
        result = apply(request);
      }
    } catch (ActivityFailure | CanceledFailure failure) {
      throw saga.rollBack(failure);
    }
    CompanyNoticeRequest notice =
        CompanyNoticeRequest.of(jobId, companyId, EmailTemplate.COMPANY_UNBANNED, null);
    Saga.afterCommit("company notice", () -> followUps.requestCompanyNotice(notice));
    return result;
  }

  private ModerationResult apply(UnbanRequest request) {
    String jobId = request.jobId();
    long companyId = request.companyId();
    String banJobId = request.banJobId();
    ModerationScope scope =
        banJobId == null
            ? new ModerationScope(0, 0)
            : saga.step(
                "count rows",
                0,
                0,
                null,
                null,
                () -> steps.countUnbanScope(new BanReversalStep(jobId, banJobId, null)));
    long total = scope.total();
    saga.step(
        "reactivate company",
        0,
        total,
        "company status",
        () -> undo.restoreCompany(new JobStep(jobId)),
        () -> {
          steps.changeCompanyStatus(
              new CompanyStatusChange(
                  jobId, companyId, CompanyStatus.BANNED, CompanyStatus.ACTIVE));
          return null;
        });
    long vehicles = 0;
    long orders = 0;
    if (banJobId != null) {
      vehicles =
          saga.step(
              "republish vehicles",
              1,
              total,
              "vehicles",
              () -> undo.restoreVehicles(new JobStep(jobId)),
              () ->
                  steps.republishVehicles(
                      new BanReversalStep(
                          jobId, banJobId, new BatchProgress("republish vehicles", 1, total))));
      long offset = 1 + vehicles;
      orders =
          saga.step(
              "reactivate orders",
              offset,
              total,
              "orders",
              () -> undo.restoreOrders(new JobStep(jobId)),
              () ->
                  steps.reactivateOrders(
                      new BanReversalStep(
                          jobId, banJobId, new BatchProgress("reactivate orders", offset, total))));
      saga.step(
          "add to search index",
          offset + orders,
          total,
          "search index",
          () -> undo.restoreSearch(new JobStep(jobId)),
          () -> steps.addToSearch(new JobStep(jobId)));
      saga.step(
          "list on the marketplace",
          offset + orders,
          total,
          "marketplace listings",
          () -> undo.restoreListings(new CompanyStep(jobId, companyId)),
          () -> steps.listVehicles(new CompanyStep(jobId, companyId)));
    }
    long done = 1 + vehicles + orders;
    saga.progress("done", done, done);
    return new ModerationResult(jobId, companyId, vehicles, orders);
  }

  @Override
  public ModerationProgress progress() {
    return saga.progress();
  }
}
