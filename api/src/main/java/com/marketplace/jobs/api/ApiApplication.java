package com.marketplace.jobs.api;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The HTTP process: accepts jobs into the PostgreSQL ledger and answers at once, relays them to
 * Temporal, and reads the ledger for status and reports. It never runs workflow or activity code.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ApiApplication {

  public static void main(String[] args) {
    SpringApplication.run(ApiApplication.class, args);
  }
}
