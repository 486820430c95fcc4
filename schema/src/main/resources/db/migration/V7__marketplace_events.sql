-- Billion marketplace events (issue 5): listings the marketplace took down, and bookings made
-- there. V5 is reserved for other work.

-- Every listing.removed event, once per event: the marketplace took the vehicle down. Our vehicle
-- stays published on the platform; only its listing on the marketplace is gone.
CREATE TABLE marketplace_listing_removals (
    event_id    text        PRIMARY KEY,
    job_id      uuid        NOT NULL,
    vehicle_id  bigint      NOT NULL REFERENCES vehicles (id),
    company_id  bigint      NOT NULL REFERENCES companies (id),
    reason      text,
    -- when Billion says it happened (the event's `created`)
    removed_at  timestamptz NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX marketplace_listing_removals_vehicle ON marketplace_listing_removals (vehicle_id);

-- The latest removal of the vehicle's marketplace listing as far as Billion told us; NULL: none
-- known. Set by listing.removed; a later removal event moves it forward, an earlier one does not.
ALTER TABLE vehicles ADD COLUMN marketplace_removed_at timestamptz;

-- Orders made on the marketplace carry the booking id: one order per booking, whatever happens.
ALTER TABLE orders ADD COLUMN marketplace_booking_id text UNIQUE;

-- Ids of orders created from marketplace bookings: a range of their own, far above the
-- platform's ids, so the two can never collide.
CREATE SEQUENCE marketplace_order_ids START WITH 9000000000000 MINVALUE 9000000000000;

-- One row per Billion booking: what we decided and why, for support.
--   CONFIRMED  an order was created (order_id) and Billion told so
--   REFUSED    no order: the vehicle is unknown or unpublished, or its company banned (reason)
--   CANCELLED  Billion cancelled it; an order it had is CANCELLED unless it was already completed.
--              A cancellation that arrives before its booking.created is kept here, so the late
--              creation is refused.
CREATE TABLE marketplace_bookings (
    booking_id         text        PRIMARY KEY,
    vehicle_id         bigint,
    company_id         bigint,
    order_id           bigint      UNIQUE REFERENCES orders (id),
    status             text        NOT NULL CHECK (status IN ('CONFIRMED', 'REFUSED', 'CANCELLED')),
    reason             text,
    created_event_id   text,
    cancelled_event_id text,
    -- what we told Billion (CONFIRM with the order id, REJECT with the reason) and when it
    -- accepted that call
    answer             text        CHECK (answer IN ('CONFIRM', 'REJECT')),
    answered_at        timestamptz,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    CHECK (status <> 'CONFIRMED' OR order_id IS NOT NULL)
);
