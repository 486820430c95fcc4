package com.marketplace.jobs.moderation;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Workflow;
import java.util.Set;

public class MarketplaceToggleWorkflowImpl implements MarketplaceToggleWorkflow {

  /** Activity types that are one statement (no heartbeat); see {@link Saga#SHORT_STEP}. */
  static final Set<String> SHORT_ACTIVITIES =
      Set.of("MarketplaceToggleCountToggleScope", "MarketplaceToggleFence");

  private final TenantMarketplaceActivities steps =
      Saga.forwardSteps(TenantMarketplaceActivities.class, SHORT_ACTIVITIES);
  private final TenantMarketplaceActivities undo =
      Saga.compensations(TenantMarketplaceActivities.class, SHORT_ACTIVITIES);
  private final TenantMarketplaceActivities reads =
      Workflow.newLocalActivityStub(TenantMarketplaceActivities.class, Saga.LOCAL_READ);
  private Saga saga = new Saga("Marketplace toggle", () -> {});

  @Override
  public MarketplaceToggleResult toggle(MarketplaceToggleRequest request) {
    String jobId = request.jobId();
    long tenantId = request.tenantId();
    saga =
        new Saga(
            (request.enabled() ? "Marketplace enable" : "Marketplace disable")
                + " of tenant "
                + tenantId,
            () -> undo.fence(new JobStep(jobId)));
    try {
      MarketplaceToggleResult result = apply(request);
      // After a reset of a rolled-back toggle, apply once more: see CompanyBanWorkflowImpl.
      if (reads.restoredChanges(new JobStep(jobId)) > 0) {
        result = apply(request);
      }
      return result;
    } catch (ActivityFailure | CanceledFailure failure) {
      throw saga.rollBack(failure);
    }
  }

  private MarketplaceToggleResult apply(MarketplaceToggleRequest request) {
    String jobId = request.jobId();
    long tenantId = request.tenantId();
    boolean enabled = request.enabled();
    ToggleScope scope =
        saga.step(
            "count rows",
            0,
            0,
            null,
            null,
            () -> steps.countToggleScope(new ToggleStep(jobId, tenantId, enabled, null)));
    long total = scope.total();
    long companies =
        saga.step(
            "switch companies",
            0,
            total,
            "companies' marketplace flags",
            () -> undo.restoreCompanies(new JobStep(jobId)),
            () ->
                steps.switchCompanies(
                    new ToggleStep(
                        jobId,
                        tenantId,
                        enabled,
                        new BatchProgress("switch companies", 0, total))));
    long models =
        saga.step(
            "switch vehicle models",
            companies,
            total,
            "vehicle models' marketplace flags",
            () -> undo.restoreModels(new JobStep(jobId)),
            () ->
                steps.switchModels(
                    new ToggleStep(
                        jobId,
                        tenantId,
                        enabled,
                        new BatchProgress("switch vehicle models", companies, total))));
    String listingStep = enabled ? "list vehicles" : "withdraw listings";
    long listings =
        saga.step(
            listingStep,
            companies + models,
            total,
            "marketplace listings",
            () -> undo.restoreListings(new JobStep(jobId)),
            () ->
                steps.updateListings(
                    new ToggleStep(
                        jobId,
                        tenantId,
                        enabled,
                        new BatchProgress(listingStep, companies + models, total))));
    long done = companies + models + listings;
    saga.progress("done", done, done);
    return new MarketplaceToggleResult(jobId, tenantId, enabled, companies, models, listings);
  }

  @Override
  public ModerationProgress progress() {
    return saga.progress();
  }
}
