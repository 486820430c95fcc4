/**
 * The Temporal Schedules the worker keeps, seen and triggered over HTTP: {@code GET /api/schedules}
 * (spec, state, next and last run), {@code GET /api/schedules/{id}/runs} (the run log over a
 * period: expected and executed runs, reliability, lateness), {@code POST
 * /api/schedules/{id}/trigger} (one run now, as {@code temporal schedule trigger} does). Schedules
 * themselves are made by the worker from its configuration, never here.
 */
package com.marketplace.jobs.api.scheduling;
