package com.marketplace.jobs.moderation;

/**
 * What a moderation job records a change of ({@code moderation_changes.entity}): a row of the
 * platform's tables, or a vehicle's state in an external system.
 */
enum ChangedEntity {
  /** {@code companies.status}. */
  COMPANY,
  /** {@code vehicles.published}. */
  VEHICLE,
  /** {@code orders.status}. */
  ORDER,
  /** A vehicle's listing on the marketplace ({@link RecordedState#LISTED} or WITHDRAWN). */
  LISTING,
  /** A vehicle's document in the search index ({@link RecordedState#INDEXED} or REMOVED). */
  SEARCH_DOCUMENT,
  /** {@code companies.marketplace_enabled}. */
  COMPANY_MARKETPLACE,
  /** {@code vehicle_models.marketplace_enabled}. */
  MODEL_MARKETPLACE
}
