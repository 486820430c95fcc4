package com.marketplace.jobs.fleet;

import com.marketplace.jobs.notifications.CompanyMailer;
import com.marketplace.jobs.notifications.EmailTemplate;
import com.marketplace.jobs.notifications.TouchpointSends;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

@Component
public class VehicleReminderActivitiesImpl implements VehicleReminderActivities {

  static final String KIND = "vehicle_reminder";

  private static final Logger log = LoggerFactory.getLogger(VehicleReminderActivitiesImpl.class);

  private final JdbcClient jdbc;
  private final CompanyMailer mailer;
  private final VehicleReminderProperties properties;

  VehicleReminderActivitiesImpl(
      JdbcClient jdbc, CompanyMailer mailer, VehicleReminderProperties properties) {
    this.jdbc = jdbc;
    this.mailer = mailer;
    this.properties = properties;
  }

  /**
   * "Today" is the database's clock in the configured zone, so every worker agrees. A reminder is
   * due by the end of its reminder day; one sent later (after a missed run) counts as late. Banned
   * companies get no reminders: they cannot rent out their vehicles.
   */
  @Override
  public int claimVehicleReminders() {
    int claimed =
        jdbc.sql(
                """
                WITH today AS (SELECT (now() AT TIME ZONE :zone)::date AS day)
                INSERT INTO touchpoints (kind, subject_key, tenant_id, company_id, due_on, due_by)
                SELECT :kind, 'vehicle-due-date:' || d.id, c.tenant_id, c.id,
                       d.due_on - :lead,
                       ((d.due_on - :lead + 1)::timestamp AT TIME ZONE :zone)
                  FROM vehicle_due_dates d
                  JOIN vehicles v ON v.id = d.vehicle_id
                  JOIN companies c ON c.id = v.company_id, today
                 WHERE c.status = 'ACTIVE'
                   AND d.due_on - :lead BETWEEN today.day - :catchUp AND today.day
                ON CONFLICT (kind, subject_key) DO NOTHING
                """)
            .param("zone", properties.timeZone().getId())
            .param("kind", KIND)
            .param("lead", properties.leadDays())
            .param("catchUp", properties.catchUpDays())
            .update();
    log.info("vehicle reminders: {} new reminders owed", claimed);
    return claimed;
  }

  @Override
  public List<Long> unsentVehicleReminders(long afterId, int limit) {
    return TouchpointSends.unsentAfter(jdbc, KIND, afterId, limit);
  }

  @Override
  public ReminderBatch sendVehicleReminders(List<Long> touchpointIds) {
    var context = Activity.getExecutionContext();
    int sent = 0;
    int late = 0;
    int refused = 0;
    for (long id : touchpointIds) {
      Reminder reminder = unsent(id);
      if (reminder == null) {
        continue;
      }
      String sendKey = TouchpointSends.sendKey(KIND, id);
      try {
        String messageId =
            mailer.send(
                sendKey,
                reminder.companyId(),
                EmailTemplate.VEHICLE_REMINDER.id(),
                params(reminder));
        boolean wasLate = TouchpointSends.markSent(jdbc, id, messageId);
        sent++;
        if (wasLate) {
          late++;
        }
        log.info(
            "vehicle reminder {}: email {} sent to company {}{}",
            id,
            messageId,
            reminder.companyId(),
            wasLate ? " (late)" : "");
      } catch (ApplicationFailure failure) {
        if (!failure.isNonRetryable()) {
          throw failure;
        }
        TouchpointSends.markRefused(jdbc, id);
        refused++;
        log.warn(
            "vehicle reminder {}: not sent to company {}, refused for good ({})",
            id,
            reminder.companyId(),
            failure.getType());
      }
      context.heartbeat(id);
    }
    return new ReminderBatch(sent, late, refused);
  }

  private record Reminder(
      long companyId, long vehicleId, String modelName, String dueKind, LocalDate dueOn) {}

  private Reminder unsent(long touchpointId) {
    return jdbc.sql(
            """
            SELECT t.company_id, d.vehicle_id, m.name AS model_name, d.kind, d.due_on
              FROM touchpoints t
              JOIN vehicle_due_dates d ON t.subject_key = 'vehicle-due-date:' || d.id
              JOIN vehicles v ON v.id = d.vehicle_id
              JOIN vehicle_models m ON m.id = v.model_id
             WHERE t.id = :id AND t.kind = :kind AND t.sent_at IS NULL
               AND t.delivery_status IS NULL
            """)
        .param("id", touchpointId)
        .param("kind", KIND)
        .query(
            (rs, row) ->
                new Reminder(
                    rs.getLong("company_id"),
                    rs.getLong("vehicle_id"),
                    rs.getString("model_name"),
                    rs.getString("kind"),
                    rs.getObject("due_on", LocalDate.class)))
        .optional()
        .orElse(null);
  }

  private static Map<String, Object> params(Reminder reminder) {
    String kind = reminder.dueKind().toLowerCase(Locale.ROOT);
    return Map.of(
        "vehicleName",
        reminder.modelName() + " #" + reminder.vehicleId(),
        "dueKind",
        Character.toUpperCase(kind.charAt(0)) + kind.substring(1),
        "dueKindLower",
        kind,
        "dueDate",
        reminder.dueOn().format(DateTimeFormatter.ISO_LOCAL_DATE));
  }
}
