package com.marketplace.jobs.worker;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The worker process: polls the task queues named in application.yaml and runs the workflows and
 * activities registered there. Run as many side by side as the load needs; they share the work.
 */
@SpringBootApplication(scanBasePackages = "com.marketplace.jobs")
@ConfigurationPropertiesScan("com.marketplace.jobs")
public class WorkerApplication {

  public static void main(String[] args) {
    SpringApplication.run(WorkerApplication.class, args);
  }
}
