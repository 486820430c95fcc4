package com.marketplace.jobs.birthdays;

import com.marketplace.jobs.common.FailureType;
import com.marketplace.jobs.notifications.BatchMailSender;
import com.marketplace.jobs.notifications.EmailTemplate;
import com.marketplace.jobs.notifications.EmailTemplates;
import com.marketplace.jobs.notifications.OutgoingBatch;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

@Component
public class BirthdayActivitiesImpl implements BirthdayActivities {

  /** Mailgun fills these per recipient from the batch's recipient variables. */
  static final Map<String, Object> PLACEHOLDERS = Map.of("firstName", "%recipient.first_name%");

  /** Each recipient's message carries its touchpoint id, so delivery events map back to it. */
  static final Map<String, String> USER_VARIABLES =
      Map.of("touchpoint-id", "%recipient.touchpoint_id%");

  /** One call stops starting batches after this long, so the history shows progress. */
  static final Duration CALL_BUDGET = Duration.ofMinutes(5);

  /**
   * Another run's unsettled batch is taken over only this long after it began: far beyond one
   * attempt's worst case (26 s) plus the sending activity's heartbeat timeout (60 s).
   */
  static final Duration ORPHANED_AFTER = Duration.ofMinutes(10);

  private static final Logger log = LoggerFactory.getLogger(BirthdayActivitiesImpl.class);

  private final BirthdayTouchpoints touchpoints;
  private final EmailTemplates templates;
  private final BatchMailSender mail;
  private final BirthdayProperties properties;
  private final Clock clock;

  @Autowired
  BirthdayActivitiesImpl(
      BirthdayTouchpoints touchpoints,
      EmailTemplates templates,
      BatchMailSender mail,
      BirthdayProperties properties) {
    this(touchpoints, templates, mail, properties, Clock.systemUTC());
  }

  BirthdayActivitiesImpl(
      BirthdayTouchpoints touchpoints,
      EmailTemplates templates,
      BatchMailSender mail,
      BirthdayProperties properties,
      Clock clock) {
    this.touchpoints = touchpoints;
    this.templates = templates;
    this.mail = mail;
    this.properties = properties;
    this.clock = clock;
  }

  @Override
  public int claimDueReminders() {
    int claimed = touchpoints.claim(clock.instant(), properties);
    int owed = touchpoints.owedNow(clock.instant());
    log.info("birthday reminders: {} claimed now, {} owed", claimed, owed);
    return owed;
  }

  @Override
  public BatchProgress sendDueBatches(int maxBatches) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    BatchProgress progress =
        context.getHeartbeatDetails(BatchProgress.class).orElse(BatchProgress.none());
    int size = Math.min(properties.batchSize(), mail.maxRecipients());
    long started = System.nanoTime();
    for (int batches = 0; batches < maxBatches; batches++) {
      if (Duration.ofNanos(System.nanoTime() - started).compareTo(CALL_BUDGET) > 0) {
        return progress.withMore(true);
      }
      Optional<UUID> next = nextBatch(context.getInfo().getWorkflowId(), size);
      if (next.isEmpty()) {
        return progress.withMore(false);
      }
      progress = send(next.get(), progress);
      context.heartbeat(progress);
    }
    return progress.withMore(true);
  }

  /**
   * An unsettled batch of an earlier attempt (or of a run that died) first, else a new one of
   * {@code owner}'s; empty when none is owed.
   */
  private Optional<UUID> nextBatch(String owner, int size) {
    Optional<UUID> unsettled = touchpoints.unsettledBatch(owner, clock.instant(), ORPHANED_AFTER);
    if (unsettled.isPresent()) {
      return unsettled;
    }
    UUID batchId = UUID.randomUUID();
    return touchpoints.startBatch(batchId, owner, size, clock.instant()) == 0
        ? Optional.empty()
        : Optional.of(batchId);
  }

  private BatchProgress send(UUID batchId, BatchProgress progress) {
    List<OutgoingBatch.Recipient> recipients = new ArrayList<>();
    List<Long> duplicates = new ArrayList<>();
    Set<String> addresses = new HashSet<>();
    for (BirthdayTouchpoints.Recipient recipient : touchpoints.recipients(batchId)) {
      // Recipient variables are keyed by address: a second customer with the same address waits
      // for the next batch.
      if (!addresses.add(recipient.email().toLowerCase(Locale.ROOT))) {
        duplicates.add(recipient.touchpointId());
        continue;
      }
      recipients.add(
          new OutgoingBatch.Recipient(
              recipient.email(),
              Map.of(
                  "first_name",
                  recipient.firstName(),
                  "touchpoint_id",
                  Long.toString(recipient.touchpointId()))));
    }
    if (!duplicates.isEmpty()) {
      touchpoints.release(duplicates);
    }
    if (recipients.isEmpty()) {
      return progress;
    }
    OutgoingBatch batch =
        templates.composeBatch(
            EmailTemplate.BIRTHDAY, PLACEHOLDERS, batchId, USER_VARIABLES, recipients);
    String messageId;
    try {
      messageId = mail.sendBatch(batch);
    } catch (ApplicationFailure failure) {
      if (FailureType.INVALID_INPUT.name().equals(failure.getType())) {
        int rejected = touchpoints.rejected(batchId);
        log.warn("batch {}: Mailgun refused its {} reminders (HTTP 400)", batchId, rejected);
        return progress.plus(0, 0, rejected);
      }
      throw failure;
    }
    BirthdayTouchpoints.Settled settled = touchpoints.sent(batchId, messageId, clock.instant());
    log.info(
        "batch {}: {} birthday reminders sent as {} ({} late)",
        batchId,
        settled.sent(),
        messageId,
        settled.late());
    return progress.plus(settled.sent(), settled.late(), 0);
  }
}
