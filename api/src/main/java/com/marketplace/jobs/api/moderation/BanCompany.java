package com.marketplace.jobs.api.moderation;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** The body of {@code POST /api/companies/{companyId}/ban}. */
record BanCompany(@NotBlank @Size(max = 500) String reason) {}
