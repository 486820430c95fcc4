package com.marketplace.jobs.api.scheduling;

import java.time.Instant;

/**
 * The answer to {@code POST /api/schedules/{id}/trigger}: Temporal has the request; the run shows
 * in {@code runsUrl} once a worker has started it.
 */
public record TriggerAnswer(
    String scheduleId, String status, Instant requestedAt, String runsUrl) {}
