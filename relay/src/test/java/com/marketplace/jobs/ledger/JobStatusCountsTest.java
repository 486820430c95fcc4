package com.marketplace.jobs.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The all-time counts the database keeps (V25) against a real, migrated PostgreSQL: after every
 * kind of ledger write, compacted or not, they equal what counting the ledger itself gives.
 */
class JobStatusCountsTest {

  private static EmbeddedPostgres postgres;
  private static JdbcClient jdbc;
  private static JobStatusCounts counts;

  @BeforeAll
  static void startPostgres() throws IOException {
    postgres = EmbeddedPostgres.start();
    Flyway.configure()
        .dataSource(postgres.getPostgresDatabase())
        .locations("classpath:db/migration")
        .load()
        .migrate();
    jdbc = JdbcClient.create(postgres.getPostgresDatabase());
    counts = new JobStatusCounts(jdbc);
  }

  @AfterAll
  static void stopPostgres() throws IOException {
    postgres.close();
  }

  @BeforeEach
  void clean() {
    jdbc.sql("TRUNCATE jobs CASCADE").update();
  }

  /** {@code n} jobs of {@code type} in {@code status}, in one statement. */
  private static void insert(String type, String status, int n) {
    jdbc.sql(
            """
            INSERT INTO jobs (id, type, status, priority, workflow_id, workflow_type, task_queue,
                              payload, content_hash)
            SELECT gen_random_uuid(), :type, :status, 2, :type || '-' || gen_random_uuid(),
                   'Workflow', 'background-jobs', '{}'::jsonb, gen_random_uuid()::text
              FROM generate_series(1, :n)
            """)
        .param("type", type)
        .param("status", status)
        .param("n", n)
        .update();
  }

  /** The ledger counted row by row: what the kept counts must always equal. */
  private static Set<JobStatusCounts.Count> counted() {
    return new HashSet<>(
        jdbc.sql("SELECT type, status, count(*) AS n FROM jobs GROUP BY type, status")
            .query(
                (rs, row) ->
                    new JobStatusCounts.Count(
                        rs.getString("type"), rs.getString("status"), rs.getLong("n")))
            .list());
  }

  private static void assertExact() {
    assertThat(new HashSet<>(counts.all())).isEqualTo(counted());
    counts.compact();
    assertThat(jdbc.sql("SELECT count(*) FROM job_status_count_changes").query(Long.class).single())
        .isZero();
    assertThat(new HashSet<>(counts.all())).isEqualTo(counted());
  }

  @Test
  void insertsUpdatesAndDeletesAreCountedBeforeAndAfterCompaction() {
    insert("notification", "PENDING", 30);
    insert("company_ban", "PENDING", 4);
    assertThat(counts.all())
        .containsExactlyInAnyOrder(
            new JobStatusCounts.Count("notification", "PENDING", 30),
            new JobStatusCounts.Count("company_ban", "PENDING", 4));
    assertExact();

    jdbc.sql(
            "UPDATE jobs SET status = 'PROCESSING' WHERE id IN"
                + " (SELECT id FROM jobs WHERE type = 'notification' LIMIT 20)")
        .update();
    jdbc.sql(
            "UPDATE jobs SET status = 'COMPLETED' WHERE id IN"
                + " (SELECT id FROM jobs WHERE status = 'PROCESSING' LIMIT 15)")
        .update();
    jdbc.sql("UPDATE jobs SET status = 'FAILED' WHERE type = 'company_ban'").update();
    assertThat(counts.all())
        .containsExactlyInAnyOrder(
            new JobStatusCounts.Count("notification", "PENDING", 10),
            new JobStatusCounts.Count("notification", "PROCESSING", 5),
            new JobStatusCounts.Count("notification", "COMPLETED", 15),
            new JobStatusCounts.Count("company_ban", "FAILED", 4));
    assertExact();

    jdbc.sql("DELETE FROM jobs WHERE status = 'COMPLETED'").update();
    assertThat(counts.all())
        .containsExactlyInAnyOrder(
            new JobStatusCounts.Count("notification", "PENDING", 10),
            new JobStatusCounts.Count("notification", "PROCESSING", 5),
            new JobStatusCounts.Count("company_ban", "FAILED", 4));
    assertExact();
  }

  @Test
  void anUpdateThatKeepsTheStatusAppendsNothing() {
    insert("notification", "PROCESSING", 5);
    counts.compact();

    jdbc.sql("UPDATE jobs SET attempts = attempts + 1, progress_completed = 3").update();

    assertThat(jdbc.sql("SELECT count(*) FROM job_status_count_changes").query(Long.class).single())
        .isZero();
    assertExact();
  }

  @Test
  void anUpsertCountsTheRowsItInsertedAndTheOnesItChanged() {
    insert("payment_event", "PENDING", 2);
    String existing = jdbc.sql("SELECT workflow_id FROM jobs LIMIT 1").query(String.class).single();

    jdbc.sql(
            """
            INSERT INTO jobs (id, type, status, priority, workflow_id, workflow_type, task_queue,
                              payload, content_hash)
            VALUES (gen_random_uuid(), 'payment_event', 'PENDING', 1, :existing, 'W', 'q',
                    '{}'::jsonb, 'a'),
                   (gen_random_uuid(), 'payment_event', 'PENDING', 1, 'fresh', 'W', 'q',
                    '{}'::jsonb, 'b')
            ON CONFLICT (workflow_id) DO UPDATE SET status = 'COMPLETED'
            """)
        .param("existing", existing)
        .update();

    assertThat(counts.all())
        .containsExactlyInAnyOrder(
            new JobStatusCounts.Count("payment_event", "PENDING", 2),
            new JobStatusCounts.Count("payment_event", "COMPLETED", 1));
    assertExact();
  }

  @Test
  void truncatingTheLedgerEmptiesTheCounts() {
    insert("notification", "COMPLETED", 7);
    counts.compact();
    insert("notification", "PENDING", 3);

    jdbc.sql("TRUNCATE jobs CASCADE").update();

    assertThat(counts.all()).isEmpty();
    insert("notification", "PENDING", 1);
    assertThat(counts.all())
        .containsExactly(new JobStatusCounts.Count("notification", "PENDING", 1));
  }

  @Test
  void writersAndCompactionsAtTheSameTimeLoseNothing() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<?>> work = new java.util.ArrayList<>();
      for (int writer = 0; writer < 4; writer++) {
        String type = "type-" + writer;
        work.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 50; i++) {
                    insert(type, "PENDING", 3);
                    jdbc.sql(
                            "UPDATE jobs SET status = 'COMPLETED' WHERE id IN (SELECT id FROM jobs"
                                + " WHERE type = :type AND status = 'PENDING' LIMIT 2)")
                        .param("type", type)
                        .update();
                  }
                }));
      }
      for (int compactor = 0; compactor < 2; compactor++) {
        work.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 40; i++) {
                    counts.compact();
                  }
                }));
      }
      for (Future<?> task : work) {
        task.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(counts.all()).hasSize(8);
    assertExact();
  }
}
