package com.marketplace.jobs.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A real PostgreSQL for one test class: embedded, on a random port, with the service's Flyway
 * migrations applied. Close it in {@code @AfterAll}.
 */
public final class MigratedPostgres implements AutoCloseable {

  private final EmbeddedPostgres postgres;
  private final DataSource dataSource;

  private MigratedPostgres(EmbeddedPostgres postgres) {
    this.postgres = postgres;
    this.dataSource = postgres.getPostgresDatabase();
  }

  public static MigratedPostgres start() {
    EmbeddedPostgres postgres;
    try {
      postgres = EmbeddedPostgres.start();
    } catch (IOException e) {
      throw new UncheckedIOException("embedded PostgreSQL did not start", e);
    }
    MigratedPostgres database = new MigratedPostgres(postgres);
    Flyway.configure()
        .dataSource(database.dataSource)
        .locations("classpath:db/migration")
        .load()
        .migrate();
    return database;
  }

  public DataSource dataSource() {
    return dataSource;
  }

  public JdbcClient jdbc() {
    return JdbcClient.create(dataSource);
  }

  @Override
  public void close() throws IOException {
    postgres.close();
  }
}
