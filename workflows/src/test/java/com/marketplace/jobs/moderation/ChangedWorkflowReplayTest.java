package com.marketplace.jobs.moderation;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marketplace.jobs.testsupport.HistoryReplayer;
import io.temporal.worker.NonDeterministicException;
import org.junit.jupiter.api.Test;

/**
 * The replay tests can fail: a ban workflow changed the way a careless edit would (deactivating
 * orders before unpublishing vehicles) does not replay a history the real one recorded.
 */
class ChangedWorkflowReplayTest {

  /** {@link CompanyBanWorkflowImpl} with two steps swapped; registered as CompanyBanWorkflow. */
  public static class ReorderedBanWorkflow implements CompanyBanWorkflow {

    private final ModerationActivities steps =
        Saga.forwardSteps(ModerationActivities.class, CompanyBanWorkflowImpl.SHORT_ACTIVITIES);

    @Override
    public ModerationResult ban(BanRequest request) {
      String jobId = request.jobId();
      long companyId = request.companyId();
      steps.countBanScope(new CompanyStep(jobId, companyId));
      steps.changeCompanyStatus(
          new CompanyStatusChange(jobId, companyId, CompanyStatus.ACTIVE, CompanyStatus.BANNED));
      long orders =
          steps.deactivateOrders(
              new CompanyBatchStep(jobId, companyId, new BatchProgress("orders", 1, 1)));
      long vehicles =
          steps.unpublishVehicles(
              new CompanyBatchStep(jobId, companyId, new BatchProgress("vehicles", 1, 1)));
      return new ModerationResult(jobId, companyId, vehicles, orders);
    }

    @Override
    public ModerationProgress progress() {
      return new ModerationProgress("done", 0, 0);
    }
  }

  @Test
  void aBanWorkflowWithItsStepsReorderedFailsToReplayTheRecordedBan() {
    try (HistoryReplayer replayer = new HistoryReplayer(ReorderedBanWorkflow.class)) {
      // The SDK reports it as the replay's failure, naming the mismatch.
      assertThatThrownBy(() -> replayer.replay("company-ban-completed.json"))
          .hasMessageContaining(NonDeterministicException.class.getName())
          .hasMessageContaining("'name: \"DeactivateOrders\"")
          .hasMessageContaining("'name: \"UnpublishVehicles\"");
    }
  }
}
