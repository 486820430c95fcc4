-- Calendar synchronisation (docs/integrations/google-calendar.md). A company's Google Calendar is
-- an integration; the calendar-sync schedule copies its events into availability blocks on the
-- company's vehicles and flags every block that overlaps an ACTIVE order as a conflict.

-- When an order has the vehicle (the platform writes these; NULL: no period known, never a conflict).
ALTER TABLE orders
    ADD COLUMN starts_at timestamptz,
    ADD COLUMN ends_at   timestamptz;
CREATE INDEX orders_vehicle_period ON orders (vehicle_id, starts_at)
    WHERE status = 'ACTIVE' AND starts_at IS NOT NULL;

-- One Google Calendar of a company. An event becomes a block on the vehicle its private extended
-- property vehicleId names (when that is one of the company's vehicles), else on vehicle_id (a
-- calendar that belongs to one vehicle), else on no vehicle (kept, never a conflict).
CREATE TABLE calendar_integrations (
    id                       bigserial   PRIMARY KEY,
    company_id               bigint      NOT NULL REFERENCES companies (id),
    google_calendar_id       text        NOT NULL,
    vehicle_id               bigint      REFERENCES vehicles (id),
    enabled                  boolean     NOT NULL DEFAULT true,
    -- Google's nextSyncToken of the last complete sync; NULL: the next sync is a full one.
    sync_token               text,
    last_full_sync_at        timestamptz,
    last_incremental_sync_at timestamptz,
    -- The workflow id of the run that last synced (or gave up on) it: a run that continued as new
    -- skips the integrations it already did.
    last_sync_workflow_id    text,
    last_error               text,
    last_error_at            timestamptz,
    created_at               timestamptz NOT NULL DEFAULT now(),
    UNIQUE (company_id, google_calendar_id)
);

-- An event of an integration's calendar as it was last seen. A cancelled (deleted) or free
-- (transparent) event keeps its row with deleted_at set, so a conflict can say what became of it.
CREATE TABLE vehicle_availability_blocks (
    id               bigserial   PRIMARY KEY,
    integration_id   bigint      NOT NULL REFERENCES calendar_integrations (id) ON DELETE CASCADE,
    google_event_id  text        NOT NULL,
    vehicle_id       bigint      REFERENCES vehicles (id),
    starts_at        timestamptz,
    ends_at          timestamptz,
    event_updated_at timestamptz,
    synced_at        timestamptz NOT NULL DEFAULT now(),
    deleted_at       timestamptz,
    UNIQUE (integration_id, google_event_id)
);
CREATE INDEX vehicle_availability_blocks_vehicle ON vehicle_availability_blocks (vehicle_id, starts_at)
    WHERE deleted_at IS NULL AND vehicle_id IS NOT NULL;

-- A block overlapping an ACTIVE order of the same vehicle, for a person to look at: recorded once
-- (one open row per block and order), never resolved by the service; cleared (with the reason)
-- only when one side changed: the block moved or was deleted, the order moved or is no longer
-- ACTIVE. The periods at detection are kept, so a cleared row still says what overlapped.
CREATE TABLE calendar_conflicts (
    id               bigserial   PRIMARY KEY,
    block_id         bigint      NOT NULL REFERENCES vehicle_availability_blocks (id) ON DELETE CASCADE,
    order_id         bigint      NOT NULL REFERENCES orders (id),
    integration_id   bigint      NOT NULL REFERENCES calendar_integrations (id) ON DELETE CASCADE,
    company_id       bigint      NOT NULL REFERENCES companies (id),
    vehicle_id       bigint      NOT NULL REFERENCES vehicles (id),
    google_event_id  text        NOT NULL,
    block_starts_at  timestamptz NOT NULL,
    block_ends_at    timestamptz NOT NULL,
    order_starts_at  timestamptz NOT NULL,
    order_ends_at    timestamptz NOT NULL,
    detected_at      timestamptz NOT NULL DEFAULT now(),
    cleared_at       timestamptz,
    cleared_reason   text CHECK (cleared_reason IN
        ('BLOCK_DELETED', 'BLOCK_MOVED', 'ORDER_NOT_ACTIVE', 'ORDER_MOVED')),
    CHECK ((cleared_at IS NULL) = (cleared_reason IS NULL))
);
CREATE UNIQUE INDEX calendar_conflicts_open ON calendar_conflicts (block_id, order_id)
    WHERE cleared_at IS NULL;
CREATE INDEX calendar_conflicts_company ON calendar_conflicts (company_id, detected_at);
