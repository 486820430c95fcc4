package com.marketplace.jobs.worker.scheduling;

import io.temporal.worker.Worker;
import io.temporal.workflow.WorkflowInterface;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.util.ClassUtils;

/**
 * The workflow types this worker registers, by task queue, read from the Temporal starter's {@code
 * spring.temporal.workers[*].workflow-classes} (the explicit registration application.yaml uses),
 * before any bean exists.
 */
final class RegisteredWorkflows {

  /** One entry of {@code spring.temporal.workers}, as far as schedules care. */
  record WorkerEntry(String taskQueue, List<String> workflowClasses) {}

  private RegisteredWorkflows() {}

  static Map<String, Set<String>> read(Binder binder, ClassLoader classLoader) {
    List<WorkerEntry> workers =
        binder
            .bind("spring.temporal.workers", Bindable.listOf(WorkerEntry.class))
            .orElse(List.of());
    Map<String, Set<String>> types = new LinkedHashMap<>();
    for (WorkerEntry worker : workers) {
      Set<String> queue = types.computeIfAbsent(worker.taskQueue(), q -> new TreeSet<>());
      if (worker.workflowClasses() == null) {
        continue;
      }
      for (String className : worker.workflowClasses()) {
        Class<?> implementation = ClassUtils.resolveClassName(className.trim(), classLoader);
        queue.addAll(workflowTypes(implementation));
      }
    }
    return types;
  }

  static Set<String> workflowTypes(Class<?> implementation) {
    Set<String> types = new TreeSet<>();
    for (Class<?> contract : ClassUtils.getAllInterfacesForClassAsSet(implementation)) {
      if (contract.isAnnotationPresent(WorkflowInterface.class)) {
        types.add(Worker.getWorkflowType(contract));
      }
    }
    return types;
  }
}
