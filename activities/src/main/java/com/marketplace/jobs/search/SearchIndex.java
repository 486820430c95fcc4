package com.marketplace.jobs.search;

import java.util.List;
import java.util.Set;

/**
 * The search indexes of vehicles and companies. Every write is idempotent: indexing replaces the
 * document with the same id, removing an id that is not indexed does nothing. Failures are Temporal
 * {@link io.temporal.failure.ApplicationFailure}s typed with {@link
 * com.marketplace.jobs.common.FailureType}: {@code PROVIDER_UNAVAILABLE} (retryable) or {@code
 * PROVIDER_REJECTED} (not retryable).
 */
public interface SearchIndex {

  /** Creates or replaces these documents (by vehicle id), in one bulk request. */
  void indexVehicles(List<VehicleDocument> documents);

  /**
   * Creates or replaces {@code documents} and removes {@code removedIds} (not indexed is fine), in
   * one bulk request: how a re-index brings a page of vehicles in line with their rows.
   */
  void writeVehicles(List<VehicleDocument> documents, List<Long> removedIds);

  /** Creates or replaces these documents in the companies index (by company id), in one request. */
  void indexCompanies(List<CompanyDocument> documents);

  /** Removes these vehicles from the index; ids that are not indexed are fine. */
  void removeVehicles(List<Long> vehicleIds);

  /** The ids of every indexed vehicle of this company (for checks and tests, not for hot paths). */
  Set<Long> vehicleIdsOfCompany(long companyId);

  /** Makes every write so far visible to searches, in both indexes (for checks and tests). */
  void refresh();
}
