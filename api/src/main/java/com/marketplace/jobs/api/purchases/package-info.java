/**
 * Vehicle purchases as the purchase-status checks left them ({@code vehicle_purchases}): {@code GET
 * /api/purchases} for the platform, and {@code /ops/purchases} for operators, with the purchases
 * flagged as stuck first. Read-only: the worker's {@code purchase-status-checks} schedule is what
 * changes them.
 */
package com.marketplace.jobs.api.purchases;
