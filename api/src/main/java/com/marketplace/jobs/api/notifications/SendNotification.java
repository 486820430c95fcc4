package com.marketplace.jobs.api.notifications;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.util.Map;

/** The body of {@code POST /api/notifications}. */
record SendNotification(
    @NotNull @Positive Long customerId, @NotBlank String template, Map<String, String> params) {}
