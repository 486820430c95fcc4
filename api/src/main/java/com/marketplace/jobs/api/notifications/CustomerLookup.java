package com.marketplace.jobs.api.notifications;

import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Which tenant a platform customer belongs to, if the customer exists. */
@Repository
class CustomerLookup {

  private final JdbcClient jdbc;

  CustomerLookup(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  Optional<Long> tenantOf(long customerId) {
    return jdbc.sql("SELECT tenant_id FROM customers WHERE id = :id")
        .param("id", customerId)
        .query(Long.class)
        .optional();
  }
}
