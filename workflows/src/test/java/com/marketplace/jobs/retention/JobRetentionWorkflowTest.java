package com.marketplace.jobs.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import com.marketplace.jobs.common.FailureType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The retention workflow in the time-skipping test environment, with mocked activities: roll-ups
 * come before any deletion, and a failed roll-up deletes nothing.
 */
class JobRetentionWorkflowTest {

  @RegisterExtension
  static final TestWorkflowExtension testWorkflow =
      TestWorkflowExtension.newBuilder()
          .registerWorkflowImplementationTypes(JobRetentionWorkflowImpl.class)
          .setDoNotStart(true)
          .build();

  private final JobRetentionActivities activities =
      mock(JobRetentionActivities.class, withSettings().withoutAnnotations());

  private String taskQueue;

  @BeforeEach
  void registerActivities(TestWorkflowEnvironment env, Worker worker) {
    taskQueue = worker.getTaskQueue();
    worker.registerActivitiesImplementations(activities);
    env.start();
  }

  private JobRetentionWorkflow workflow(WorkflowClient client) {
    return client.newWorkflowStub(
        JobRetentionWorkflow.class,
        WorkflowOptions.newBuilder()
            .setWorkflowId("job-retention-test")
            .setTaskQueue(taskQueue)
            .build());
  }

  @Test
  void rollsUpThenDeletesJobsThenRollUpsAndSaysHowMany(WorkflowClient client) {
    when(activities.rollUpJobDays()).thenReturn(8);
    when(activities.deleteExpiredJobs()).thenReturn(2_345L);
    when(activities.deleteExpiredJobRollups()).thenReturn(12L);

    RetentionResult result = workflow(client).applyJobRetention();

    assertThat(result).isEqualTo(new RetentionResult(8, 2_345L, 12L));
    var order = inOrder(activities);
    order.verify(activities).rollUpJobDays();
    order.verify(activities).deleteExpiredJobs();
    order.verify(activities).deleteExpiredJobRollups();
  }

  @Test
  void aRollUpThatKeepsFailingDeletesNothing(WorkflowClient client) {
    when(activities.rollUpJobDays())
        .thenThrow(
            ApplicationFailure.newNonRetryableFailure(
                "job_daily_rollups is missing", FailureType.INVALID_INPUT.name()));

    assertThatThrownBy(() -> workflow(client).applyJobRetention())
        .isInstanceOf(WorkflowFailedException.class);

    verify(activities, never()).deleteExpiredJobs();
    verify(activities, never()).deleteExpiredJobRollups();
  }
}
