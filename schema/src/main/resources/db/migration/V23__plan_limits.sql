-- Plan-limit checks (issue 14): the daily check compares each tenant's usage with its plan's
-- limits, warns the tenant's administrator at 80%, and at 100% marks the tenant over its limit and
-- holds back the published vehicles beyond it (off the marketplace and out of search).

-- The tenant administrator's address: plan-limit emails go here. NULL: none known; such an email
-- is recorded as not sendable (touchpoints.delivery_status FAILED), never sent.
ALTER TABLE tenants ADD COLUMN admin_email text;
-- The plan's limit on the tenant's active companies; NULL: the plan has none. Warned at 80% like
-- the vehicle limit; at 100% the tenant is over its limit and may add no company (nothing is held
-- back for it: companies are not listed anywhere by count).
ALTER TABLE tenants ADD COLUMN company_limit integer CHECK (company_limit IS NULL OR company_limit >= 0);

-- What the latest check found per tenant: its figures and flags, and since when it is over its
-- limit. Written by the check in the tenant's transaction; read by GET /api/tenants/{id}/usage and
-- /ops/tenants.
CREATE TABLE tenant_limit_states (
    tenant_id          bigint      PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    checked_at         timestamptz NOT NULL,
    published_vehicles integer     NOT NULL,
    vehicle_limit      integer     NOT NULL,
    active_companies   integer     NOT NULL,
    company_limit      integer,
    -- Some limit at 80% or more.
    warning            boolean     NOT NULL,
    -- Some limit reached (used >= limit).
    over_limit         boolean     NOT NULL,
    -- When over_limit last became true; NULL while under every limit. The over-limit and the
    -- lifted emails are once per (tenant, over_since).
    over_since         timestamptz,
    CHECK (over_limit = (over_since IS NOT NULL))
);
CREATE INDEX tenant_limit_states_flagged ON tenant_limit_states (tenant_id) WHERE warning OR over_limit;

-- Published vehicles held back because their tenant is over its vehicle limit: the published
-- vehicles after the first vehicle_limit ones in vehicle id order. While a row exists the vehicle
-- is never listed on the marketplace nor indexed in search, by any path (toggle, unban, ban
-- compensation, re-index). withdrawn_at / unindexed_at: the marketplace and search took it off;
-- released_at: the tenant is back under its limit for this vehicle, which is re-listed and
-- re-indexed, and then the row is deleted.
CREATE TABLE plan_holdbacks (
    vehicle_id   bigint      PRIMARY KEY REFERENCES vehicles (id) ON DELETE CASCADE,
    tenant_id    bigint      NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    company_id   bigint      NOT NULL,
    held_since   timestamptz NOT NULL DEFAULT now(),
    withdrawn_at timestamptz,
    unindexed_at timestamptz,
    released_at  timestamptz
);
CREATE INDEX plan_holdbacks_tenant ON plan_holdbacks (tenant_id, vehicle_id);
