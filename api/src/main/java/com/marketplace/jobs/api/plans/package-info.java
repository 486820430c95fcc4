/**
 * Plan limits as the platform and operators see them: {@code GET /api/tenants/{id}/usage} (the
 * figures, the flags and the message the platform shows when it refuses a publication) and {@code
 * /ops/tenants} (tenants at 80% or more and over their limit, with what is held back). The daily
 * check that sets the flags and holds vehicles back runs in the worker (workflows/activities {@code
 * plans}). Not to be confused with {@code api.limits}, the HTTP request limits.
 */
package com.marketplace.jobs.api.plans;
