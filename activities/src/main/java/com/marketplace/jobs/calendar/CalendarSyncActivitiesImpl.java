package com.marketplace.jobs.calendar;

import com.marketplace.jobs.calendar.CalendarEventSource.CalendarRefusedException;
import com.marketplace.jobs.calendar.CalendarEventSource.SyncTokenExpiredException;
import com.marketplace.jobs.common.PersonalData;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

@Component
public class CalendarSyncActivitiesImpl implements CalendarSyncActivities {

  /** The failure type of a temporary failure (network, 5xx, rate limit past the backoff). */
  static final String UNAVAILABLE = "calendar_unavailable";

  /** Longest error text kept on an integration. */
  static final int MAX_ERROR = 500;

  /** Stands for "no value" in the arrays handed to PostgreSQL. */
  private static final long NONE = Long.MIN_VALUE;

  private static final Logger log = LoggerFactory.getLogger(CalendarSyncActivitiesImpl.class);

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final CalendarEventSource events;

  public CalendarSyncActivitiesImpl(
      JdbcClient jdbc, TransactionTemplate transactions, CalendarEventSource events) {
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.events = events;
  }

  @Override
  public List<Long> calendarIntegrationsToSync(int limit) {
    return jdbc.sql(
            """
            SELECT id FROM calendar_integrations
             WHERE enabled AND last_sync_workflow_id IS DISTINCT FROM :workflowId
             ORDER BY id LIMIT :limit
            """)
        .param("workflowId", workflowId())
        .param("limit", limit)
        .query(Long.class)
        .list();
  }

  private record Integration(
      long id, long companyId, String calendarId, Long vehicleId, String syncToken) {}

  @Override
  public IntegrationSync calendarSyncIntegration(long integrationId) {
    String workflowId = workflowId();
    Integration integration =
        jdbc.sql(
                """
                SELECT id, company_id, google_calendar_id, vehicle_id, sync_token
                  FROM calendar_integrations WHERE id = :id AND enabled
                """)
            .param("id", integrationId)
            .query(
                (rs, n) ->
                    new Integration(
                        rs.getLong("id"),
                        rs.getLong("company_id"),
                        rs.getString("google_calendar_id"),
                        rs.getObject("vehicle_id", Long.class),
                        rs.getString("sync_token")))
            .optional()
            .orElse(null);
    if (integration == null) {
      log.info("calendar integration {}: gone or disabled, not synced", integrationId);
      return new IntegrationSync(integrationId, false, false, 0, 0, null);
    }

    String syncToken = integration.syncToken();
    boolean tokenExpired = false;
    int pages = 0;
    Map<String, CalendarEvent> seen = new LinkedHashMap<>();
    String pageToken = null;
    String nextSyncToken;
    while (true) {
      CalendarEventPage page;
      try {
        page = events.list(integration.calendarId(), syncToken, pageToken);
      } catch (SyncTokenExpiredException e) {
        if (syncToken == null) {
          throw ApplicationFailure.newFailure(
              "integration " + integrationId + ": 410 Gone on a full sync", UNAVAILABLE);
        }
        log.info("calendar integration {}: sync token expired (410), full sync", integrationId);
        tokenExpired = true;
        syncToken = null;
        pageToken = null;
        seen.clear();
        continue;
      } catch (CalendarRefusedException e) {
        String error = truncate(e.getMessage());
        recordFailure(integrationId, workflowId, error);
        log.warn("calendar integration {}: not synced, {}", integrationId, error);
        return new IntegrationSync(integrationId, syncToken == null, tokenExpired, pages, 0, error);
      } catch (IOException e) {
        throw ApplicationFailure.newFailure(
            "integration " + integrationId + ": " + truncate(e.getMessage()), UNAVAILABLE);
      }
      pages++;
      for (CalendarEvent event : page.events()) {
        seen.put(event.id(), event);
      }
      Activity.getExecutionContext().heartbeat(pages);
      if (page.nextPageToken() == null) {
        nextSyncToken = page.nextSyncToken();
        break;
      }
      pageToken = page.nextPageToken();
    }

    boolean full = syncToken == null;
    Set<Long> companyVehicles =
        new HashSet<>(
            jdbc.sql("SELECT id FROM vehicles WHERE company_id = :company")
                .param("company", integration.companyId())
                .query(Long.class)
                .list());
    List<CalendarEvent> changes = new ArrayList<>(seen.values());
    String token = nextSyncToken;
    int changed =
        transactions.execute(
            status -> {
              int written = upsert(integration, changes, companyVehicles);
              if (full) {
                written += deleteUnseen(integration.id(), seen.keySet());
              }
              jdbc.sql(
                      """
                      UPDATE calendar_integrations
                         SET sync_token = :token,
                             last_full_sync_at = CASE WHEN :full THEN now()
                                                      ELSE last_full_sync_at END,
                             last_incremental_sync_at = CASE WHEN :full
                                                             THEN last_incremental_sync_at
                                                             ELSE now() END,
                             last_sync_workflow_id = :workflowId,
                             last_error = NULL, last_error_at = NULL
                       WHERE id = :id
                      """)
                  .param("token", token)
                  .param("full", full)
                  .param("workflowId", workflowId)
                  .param("id", integration.id())
                  .update();
              return written;
            });
    log.info(
        "calendar integration {}: {} sync, {} pages, {} events, {} blocks changed",
        integrationId,
        full ? (tokenExpired ? "full (token expired)" : "full") : "incremental",
        pages,
        changes.size(),
        changed);
    return new IntegrationSync(integrationId, full, tokenExpired, pages, changed, null);
  }

  /**
   * Writes each event as a block, keyed by integration and Google event id; counts only the rows
   * that changed. A deleted event not known yet writes nothing; a deleted event keeps its last
   * period and vehicle, so a conflict can still say what it was.
   */
  private int upsert(
      Integration integration, List<CalendarEvent> changes, Set<Long> companyVehicles) {
    if (changes.isEmpty()) {
      return 0;
    }
    int n = changes.size();
    String[] ids = new String[n];
    long[] vehicles = new long[n];
    long[] starts = new long[n];
    long[] ends = new long[n];
    long[] updated = new long[n];
    boolean[] blocking = new boolean[n];
    for (int i = 0; i < n; i++) {
      CalendarEvent event = changes.get(i);
      ids[i] = event.id();
      Long vehicle = vehicle(event, integration, companyVehicles);
      vehicles[i] = vehicle == null ? NONE : vehicle;
      starts[i] = millis(event.startsAt());
      ends[i] = millis(event.endsAt());
      updated[i] = millis(event.updatedAt());
      blocking[i] = event.blocking();
    }
    return jdbc.sql(
            """
            INSERT INTO vehicle_availability_blocks AS b
                   (integration_id, google_event_id, vehicle_id, starts_at, ends_at,
                    event_updated_at, synced_at, deleted_at)
            SELECT :integration, e.id, NULLIF(e.vehicle, :none),
                   to_timestamp(NULLIF(e.starts, :none) / 1000.0),
                   to_timestamp(NULLIF(e.ends, :none) / 1000.0),
                   to_timestamp(NULLIF(e.updated, :none) / 1000.0),
                   now(), CASE WHEN e.blocking THEN NULL ELSE now() END
              FROM unnest(:ids::text[], :vehicles::bigint[], :starts::bigint[], :ends::bigint[],
                          :updated::bigint[], :blocking::boolean[])
                   AS e(id, vehicle, starts, ends, updated, blocking)
             WHERE e.blocking
                OR EXISTS (SELECT 1 FROM vehicle_availability_blocks x
                            WHERE x.integration_id = :integration AND x.google_event_id = e.id)
            ON CONFLICT (integration_id, google_event_id) DO UPDATE
               SET vehicle_id = CASE WHEN EXCLUDED.deleted_at IS NULL THEN EXCLUDED.vehicle_id
                                     ELSE b.vehicle_id END,
                   starts_at = coalesce(EXCLUDED.starts_at, b.starts_at),
                   ends_at = coalesce(EXCLUDED.ends_at, b.ends_at),
                   event_updated_at = EXCLUDED.event_updated_at,
                   synced_at = now(),
                   deleted_at = CASE WHEN EXCLUDED.deleted_at IS NULL THEN NULL
                                     ELSE coalesce(b.deleted_at, EXCLUDED.deleted_at) END
             WHERE (b.deleted_at IS NULL) IS DISTINCT FROM (EXCLUDED.deleted_at IS NULL)
                OR (EXCLUDED.deleted_at IS NULL
                    AND (b.vehicle_id, b.starts_at, b.ends_at)
                        IS DISTINCT FROM (EXCLUDED.vehicle_id, EXCLUDED.starts_at,
                                          EXCLUDED.ends_at))
            """)
        .param("integration", integration.id())
        .param("none", NONE)
        .param("ids", ids)
        .param("vehicles", vehicles)
        .param("starts", starts)
        .param("ends", ends)
        .param("updated", updated)
        .param("blocking", blocking)
        .update();
  }

  /** After a full sync: the blocks of events the calendar no longer lists are deleted. */
  private int deleteUnseen(long integrationId, Set<String> seen) {
    return jdbc.sql(
            """
            UPDATE vehicle_availability_blocks SET deleted_at = now(), synced_at = now()
             WHERE integration_id = :integration AND deleted_at IS NULL
               AND NOT (google_event_id = ANY(:seen::text[]))
            """)
        .param("integration", integrationId)
        .param("seen", seen.toArray(String[]::new))
        .update();
  }

  /**
   * The event's vehicle: the one its private extended property {@code vehicleId} names when that is
   * a vehicle of the company, else the integration's own vehicle (a calendar of one vehicle), else
   * none (the block is kept but never conflicts).
   */
  static Long vehicle(CalendarEvent event, Integration integration, Set<Long> companyVehicles) {
    if (event.vehicleId() != null) {
      try {
        long named = Long.parseLong(event.vehicleId().strip());
        if (companyVehicles.contains(named)) {
          return named;
        }
      } catch (NumberFormatException e) {
        // Not a vehicle id: fall back to the integration's vehicle.
      }
    }
    return integration.vehicleId();
  }

  @Override
  public void calendarRecordSyncFailure(long integrationId, String error) {
    recordFailure(integrationId, workflowId(), truncate(error));
  }

  private void recordFailure(long integrationId, String workflowId, String error) {
    jdbc.sql(
            """
            UPDATE calendar_integrations
               SET last_error = :error, last_error_at = now(), last_sync_workflow_id = :workflowId
             WHERE id = :id
            """)
        .param("error", error == null ? "unknown failure" : error)
        .param("workflowId", workflowId)
        .param("id", integrationId)
        .update();
  }

  @Override
  public ConflictCheck calendarCheckConflicts() {
    return transactions.execute(
        status -> {
          int cleared =
              jdbc.sql(
                      """
                      UPDATE calendar_conflicts c
                         SET cleared_at = now(),
                             cleared_reason = CASE
                               WHEN b.deleted_at IS NOT NULL THEN 'BLOCK_DELETED'
                               WHEN o.status <> 'ACTIVE' THEN 'ORDER_NOT_ACTIVE'
                               WHEN b.vehicle_id IS DISTINCT FROM c.vehicle_id
                                 OR b.starts_at <> c.block_starts_at
                                 OR b.ends_at <> c.block_ends_at THEN 'BLOCK_MOVED'
                               ELSE 'ORDER_MOVED' END
                        FROM vehicle_availability_blocks b, orders o
                       WHERE c.cleared_at IS NULL AND b.id = c.block_id AND o.id = c.order_id
                         AND (b.deleted_at IS NOT NULL
                              OR o.status <> 'ACTIVE'
                              OR b.vehicle_id IS DISTINCT FROM o.vehicle_id
                              OR o.starts_at IS NULL OR o.ends_at IS NULL
                              OR NOT (b.starts_at < o.ends_at AND o.starts_at < b.ends_at))
                      """)
                  .update();
          int flagged =
              jdbc.sql(
                      """
                      INSERT INTO calendar_conflicts
                             (block_id, order_id, integration_id, company_id, vehicle_id,
                              google_event_id, block_starts_at, block_ends_at, order_starts_at,
                              order_ends_at)
                      SELECT b.id, o.id, b.integration_id, i.company_id, b.vehicle_id,
                             b.google_event_id, b.starts_at, b.ends_at, o.starts_at, o.ends_at
                        FROM vehicle_availability_blocks b
                        JOIN calendar_integrations i ON i.id = b.integration_id
                        JOIN orders o ON o.vehicle_id = b.vehicle_id
                       WHERE b.deleted_at IS NULL AND b.vehicle_id IS NOT NULL
                         AND o.status = 'ACTIVE' AND o.starts_at IS NOT NULL
                         AND o.ends_at IS NOT NULL
                         AND b.starts_at < o.ends_at AND o.starts_at < b.ends_at
                      ON CONFLICT (block_id, order_id) WHERE cleared_at IS NULL DO NOTHING
                      """)
                  .update();
          int open =
              jdbc.sql("SELECT count(*) FROM calendar_conflicts WHERE cleared_at IS NULL")
                  .query(Integer.class)
                  .single();
          if (flagged > 0 || cleared > 0) {
            log.info("calendar conflicts: {} flagged, {} cleared, {} open", flagged, cleared, open);
          }
          return new ConflictCheck(flagged, cleared, open);
        });
  }

  private static String workflowId() {
    return Activity.getExecutionContext().getInfo().getWorkflowId();
  }

  private static long millis(Instant instant) {
    return instant == null ? NONE : instant.toEpochMilli();
  }

  /**
   * An error as it may be stored and logged: emails masked (a calendar id is often an address, and
   * a transport error may quote the URL), at most {@link #MAX_ERROR} characters.
   */
  private static String truncate(String text) {
    if (text == null) {
      return null;
    }
    String masked = PersonalData.maskEmails(text);
    return masked.length() <= MAX_ERROR ? masked : masked.substring(0, MAX_ERROR);
  }
}
