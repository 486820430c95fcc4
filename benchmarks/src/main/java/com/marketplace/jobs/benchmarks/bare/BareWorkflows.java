package com.marketplace.jobs.benchmarks.bare;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;

/**
 * The plain-SDK yardstick for the drain benchmark: a workflow that runs one no-op activity, either
 * as an ordinary activity or as a local one, with no ledger, HTTP or Mailgun.
 */
public final class BareWorkflows {

  private BareWorkflows() {}

  @ActivityInterface
  public interface NoopActivities {
    String noop(String input);
  }

  public static class NoopActivitiesImpl implements NoopActivities {
    @Override
    public String noop(String input) {
      return input;
    }
  }

  @WorkflowInterface
  public interface OneActivityWorkflow {
    @WorkflowMethod
    String run(String input);
  }

  public static class OneActivityWorkflowImpl implements OneActivityWorkflow {
    private final NoopActivities activities =
        Workflow.newActivityStub(
            NoopActivities.class,
            ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(30)).build());

    @Override
    public String run(String input) {
      return activities.noop(input);
    }
  }

  @WorkflowInterface
  public interface OneLocalActivityWorkflow {
    @WorkflowMethod
    String run(String input);
  }

  public static class OneLocalActivityWorkflowImpl implements OneLocalActivityWorkflow {
    private final NoopActivities activities =
        Workflow.newLocalActivityStub(
            NoopActivities.class,
            LocalActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofSeconds(30))
                .build());

    @Override
    public String run(String input) {
      return activities.noop(input);
    }
  }
}
