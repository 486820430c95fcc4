package com.marketplace.jobs.benchmarks.bare;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The yardstick for the burst benchmark: a Spring Boot endpoint that only inserts one row and
 * answers 202, with the same Tomcat settings as the api. Whatever it measures on this machine is
 * the floor our trigger cannot beat.
 */
@SpringBootApplication
@RestController
public class BareInsertApplication {

  private final JdbcClient jdbc;

  BareInsertApplication(JdbcClient jdbc) {
    this.jdbc = jdbc;
    jdbc.sql("CREATE TABLE IF NOT EXISTS bare_events (id bigserial PRIMARY KEY, body text)")
        .update();
  }

  @PostMapping("/bare")
  @ResponseStatus(HttpStatus.ACCEPTED)
  Map<String, Object> insert(@RequestBody String body) {
    long id =
        jdbc.sql("INSERT INTO bare_events (body) VALUES (:body) RETURNING id")
            .param("body", body)
            .query(Long.class)
            .single();
    return Map.of("id", id);
  }

  public static void main(String[] args) {
    SpringApplication.run(BareInsertApplication.class, args);
  }
}
