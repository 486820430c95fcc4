package com.marketplace.jobs.notifications;

import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Reads customers from the platform's {@code customers} table. */
@Repository
class CustomerDirectory {

  private final JdbcClient jdbc;

  CustomerDirectory(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  Optional<Customer> find(long customerId) {
    return jdbc.sql(
            "SELECT id, tenant_id, email, first_name, time_zone FROM customers WHERE id = :id")
        .param("id", customerId)
        .query(
            (rs, row) ->
                new Customer(
                    rs.getLong("id"),
                    rs.getLong("tenant_id"),
                    rs.getString("email"),
                    rs.getString("first_name"),
                    rs.getString("time_zone")))
        .optional();
  }
}
