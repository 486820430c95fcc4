-- Tenant marketplace toggles record their changes in moderation_changes like bans do:
-- COMPANY_MARKETPLACE (companies.marketplace_enabled) and MODEL_MARKETPLACE
-- (vehicle_models.marketplace_enabled), 'true' or 'false'; the listings they change are LISTING
-- records as for bans.
ALTER TABLE moderation_changes DROP CONSTRAINT moderation_changes_entity_check;
ALTER TABLE moderation_changes ADD CONSTRAINT moderation_changes_entity_check
    CHECK (entity IN ('COMPANY', 'VEHICLE', 'ORDER', 'LISTING', 'SEARCH_DOCUMENT',
                      'COMPANY_MARKETPLACE', 'MODEL_MARKETPLACE'));

-- Moderation jobs are exclusive within a tenant (a toggle against a ban of one of its companies).
CREATE INDEX jobs_tenant_running ON jobs (tenant_id, type) WHERE status IN ('PENDING', 'PROCESSING');
