package com.marketplace.jobs.search;

/**
 * One vehicle as the marketplace's search sees it; the document id is the vehicle id.
 *
 * @param id the vehicle id
 * @param companyId the company that rents it out
 * @param tenantId the company's tenant
 * @param modelId the vehicle model
 * @param modelName the model's name, searchable as text
 * @param published whether the marketplace shows it (false while its owner unpublished it, or while
 *     its company is banned)
 */
public record VehicleDocument(
    long id, long companyId, long tenantId, long modelId, String modelName, boolean published) {}
