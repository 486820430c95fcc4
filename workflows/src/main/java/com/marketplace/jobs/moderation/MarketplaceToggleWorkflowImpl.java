package com.marketplace.jobs.moderation;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Workflow;

public class MarketplaceToggleWorkflowImpl implements MarketplaceToggleWorkflow {

  private final TenantMarketplaceActivities steps =
      Workflow.newActivityStub(TenantMarketplaceActivities.class, Saga.STEP_OPTIONS);
  private final TenantMarketplaceActivities undo =
      Workflow.newActivityStub(TenantMarketplaceActivities.class, Saga.COMPENSATION_OPTIONS);
  private Saga saga = new Saga("Marketplace toggle");

  @Override
  public MarketplaceToggleResult toggle(MarketplaceToggleRequest request) {
    String jobId = request.jobId();
    long tenantId = request.tenantId();
    boolean enabled = request.enabled();
    saga =
        new Saga(
            (enabled ? "Marketplace enable" : "Marketplace disable") + " of tenant " + tenantId);
    try {
      ToggleScope scope =
          saga.step(
              "count rows", 0, 0, null, null, () -> steps.countToggleScope(tenantId, enabled));
      long total = scope.total();
      long companies =
          saga.step(
              "switch companies",
              0,
              total,
              "companies' marketplace flags",
              () -> undo.restoreCompanies(jobId),
              () ->
                  steps.switchCompanies(
                      jobId, tenantId, enabled, new BatchProgress("switch companies", 0, total)));
      long models =
          saga.step(
              "switch vehicle models",
              companies,
              total,
              "vehicle models' marketplace flags",
              () -> undo.restoreModels(jobId),
              () ->
                  steps.switchModels(
                      jobId,
                      tenantId,
                      enabled,
                      new BatchProgress("switch vehicle models", companies, total)));
      String listingStep = enabled ? "list vehicles" : "withdraw listings";
      long listings =
          saga.step(
              listingStep,
              companies + models,
              total,
              "marketplace listings",
              () -> undo.restoreListings(jobId),
              () ->
                  steps.updateListings(
                      jobId, enabled, new BatchProgress(listingStep, companies + models, total)));
      long done = companies + models + listings;
      saga.progress("done", done, done);
      return new MarketplaceToggleResult(jobId, tenantId, enabled, companies, models, listings);
    } catch (ActivityFailure | CanceledFailure failure) {
      throw saga.rollBack(failure);
    }
  }

  @Override
  public ModerationProgress progress() {
    return saga.progress();
  }
}
