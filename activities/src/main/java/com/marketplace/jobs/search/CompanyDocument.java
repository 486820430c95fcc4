package com.marketplace.jobs.search;

/**
 * One company as the marketplace's search sees it; the document id is the company id.
 *
 * @param id the company id
 * @param tenantId its tenant
 * @param name its name, searchable as text
 * @param status ACTIVE or BANNED: the search service shows banned companies to no one
 * @param marketplaceEnabled whether the company is on the marketplace
 */
public record CompanyDocument(
    long id, long tenantId, String name, String status, boolean marketplaceEnabled) {}
