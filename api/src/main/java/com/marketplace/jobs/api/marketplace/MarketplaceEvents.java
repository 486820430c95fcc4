package com.marketplace.jobs.api.marketplace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.marketplace.jobs.api.problems.ApiProblem;
import com.marketplace.jobs.api.webhooks.WebhookEvents;
import com.marketplace.jobs.api.webhooks.WebhookReceipt;
import com.marketplace.jobs.common.JobType;
import com.marketplace.jobs.marketplace.MarketplaceEvent;
import com.marketplace.jobs.marketplace.MarketplaceEventType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Reads a verified Billion event ({@code {"id", "type", "created", "data": {...}}}) and turns a
 * handled type into a marketplace job, or records it as ignored ({@link WebhookEvents}: job id and
 * idempotency key from the event id, so a redelivered event is the same job). Fields Billion may
 * add later are allowed; missing or mistyped ones are refused with 400, naming them.
 */
@Service
class MarketplaceEvents {

  static final String PROVIDER = "billion";

  /** Ids travel in idempotency keys and URL paths: visible, unreserved ASCII only. */
  private static final String ID_PATTERN = "[A-Za-z0-9._:-]{1,200}";

  private static final int MAX_REASON_LENGTH = 500;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final WebhookEvents webhookEvents;

  MarketplaceEvents(WebhookEvents webhookEvents) {
    this.webhookEvents = webhookEvents;
  }

  /** A well-formed event: its envelope, and for a handled type the job's input. */
  record ReadEvent(String id, String type, long created, Optional<MarketplaceEvent> input) {}

  /**
   * The event in the body.
   *
   * @throws ApiProblem 400 when the body is not a JSON object or a field is missing or mistyped
   */
  ReadEvent read(byte[] body) {
    JsonNode event;
    try {
      event = JSON.readTree(body);
    } catch (IOException e) {
      event = null;
    }
    if (event == null || !event.isObject()) {
      throw new ApiProblem(
          HttpStatus.BAD_REQUEST, "Malformed request body", "The body is not a JSON object.");
    }
    Fields fields = new Fields();
    String id = fields.id(event, "id");
    String type = fields.text(event, "type", 100);
    Long created = fields.integer(event, "created");
    Optional<MarketplaceEventType> handled =
        type == null ? Optional.empty() : MarketplaceEventType.byName(type);
    JsonNode data = event.get("data");
    if (handled.isPresent() && (data == null || !data.isObject())) {
      fields.error("data", "must be an object");
    }
    fields.refuseIfAny();
    if (handled.isEmpty()) {
      return new ReadEvent(id, type, created, Optional.empty());
    }
    String jobId = WebhookEvents.jobIdFor(PROVIDER, id).toString();
    MarketplaceEvent input =
        switch (handled.get()) {
          case LISTING_REMOVED -> {
            Long vehicleId = fields.integer(data, "data.vehicleId");
            Long companyId = fields.integer(data, "data.companyId");
            String reason = fields.optionalText(data, "data.reason", MAX_REASON_LENGTH);
            fields.refuseIfAny();
            yield MarketplaceEvent.listingRemoved(jobId, id, created, vehicleId, companyId, reason);
          }
          case BOOKING_CREATED -> {
            String bookingId = fields.id(data, "data.bookingId");
            Long vehicleId = fields.integer(data, "data.vehicleId");
            fields.refuseIfAny();
            yield MarketplaceEvent.bookingCreated(jobId, id, created, bookingId, vehicleId);
          }
          case BOOKING_CANCELLED -> {
            String bookingId = fields.id(data, "data.bookingId");
            fields.refuseIfAny();
            yield MarketplaceEvent.bookingCancelled(jobId, id, created, bookingId);
          }
        };
    return new ReadEvent(id, type, created, Optional.of(input));
  }

  WebhookReceipt receive(ReadEvent event) {
    if (event.input().isEmpty()) {
      return webhookEvents.ignore(PROVIDER, event.id(), event.type());
    }
    MarketplaceEvent input = event.input().get();
    return webhookEvents.accept(
        PROVIDER, event.id(), event.type(), JobType.MARKETPLACE_EVENT, (UUID jobId) -> input);
  }

  /** Collects field errors, so one answer names every field at fault. */
  private static final class Fields {

    private final Map<String, String> errors = new LinkedHashMap<>();

    void error(String field, String message) {
      errors.putIfAbsent(field, message);
    }

    /** The field under its last path segment; paths name it in errors. */
    private static JsonNode get(JsonNode object, String path) {
      return object.get(path.substring(path.lastIndexOf('.') + 1));
    }

    String id(JsonNode object, String path) {
      JsonNode value = get(object, path);
      if (value == null || value.isNull()) {
        error(path, "is required");
      } else if (!value.isTextual() || !value.asText().matches(ID_PATTERN)) {
        error(path, "must be a string of 1 to 200 letters, digits, '.', '_', ':' or '-'");
      } else {
        return value.asText();
      }
      return null;
    }

    String text(JsonNode object, String path, int maxLength) {
      JsonNode value = get(object, path);
      if (value == null || value.isNull()) {
        error(path, "is required");
        return null;
      }
      String text = optionalText(object, path, maxLength);
      if (text != null && text.isBlank()) {
        error(path, "must not be blank");
      }
      return text;
    }

    String optionalText(JsonNode object, String path, int maxLength) {
      JsonNode value = get(object, path);
      if (value == null || value.isNull()) {
        return null;
      }
      if (!value.isTextual()) {
        error(path, "must be a string");
        return null;
      }
      if (value.asText().length() > maxLength) {
        error(path, "must be at most " + maxLength + " characters");
        return null;
      }
      return value.asText();
    }

    Long integer(JsonNode object, String path) {
      JsonNode value = get(object, path);
      if (value == null || value.isNull()) {
        error(path, "is required");
      } else if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() <= 0) {
        error(path, "must be a positive integer");
      } else {
        return value.asLong();
      }
      return null;
    }

    void refuseIfAny() {
      if (errors.isEmpty()) {
        return;
      }
      List<Map<String, String>> list = new ArrayList<>();
      errors.forEach((field, message) -> list.add(Map.of("field", field, "message", message)));
      throw new ApiProblem(
          HttpStatus.BAD_REQUEST,
          "Invalid request",
          "Invalid fields: "
              + errors.entrySet().stream()
                  .map(e -> e.getKey() + " " + e.getValue())
                  .collect(Collectors.joining("; ")),
          Map.of("errors", list));
    }
  }
}
