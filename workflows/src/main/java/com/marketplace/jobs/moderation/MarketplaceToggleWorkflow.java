package com.marketplace.jobs.moderation;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Puts a tenant on the marketplace or takes it off, all or nothing: its companies' and vehicle
 * models' {@code marketplace_enabled} flags, and the marketplace listings of those companies'
 * published vehicles. Only what differs from the requested state is changed and recorded, so a
 * rollback restores exactly the state before (a company already off stays off).
 */
@WorkflowInterface
public interface MarketplaceToggleWorkflow {

  /**
   * Runs the toggle. Idempotent per job. Fails with type ROLLED_BACK (everything undone) or
   * ROLLBACK_INCOMPLETE (the message names what was not); a cancelled toggle is rolled back too.
   */
  @WorkflowMethod
  MarketplaceToggleResult toggle(MarketplaceToggleRequest request);

  @QueryMethod
  ModerationProgress progress();
}
