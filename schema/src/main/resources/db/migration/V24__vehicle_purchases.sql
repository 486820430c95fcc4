-- Vehicle purchases: a company buying a vehicle through the purchase provider. The platform writes
-- a row when it hands a purchase to the provider (status PENDING, the provider's reference); the
-- purchase-status-checks schedule asks the provider about every PENDING row and records its answer:
-- COMPLETED or FAILED (with the provider's reason) end the purchase, anything else leaves it
-- PENDING. A purchase still PENDING longer than jobs.purchases.stuck-after is flagged once
-- (stuck_flagged_at) and its company emailed once (the touchpoint 'vehicle-purchase:<id>' of kind
-- purchase_stuck).
CREATE TABLE vehicle_purchases (
    id                 bigserial   PRIMARY KEY,
    vehicle_id         bigint      NOT NULL REFERENCES vehicles (id),
    company_id         bigint      NOT NULL REFERENCES companies (id),
    -- The provider's id of the purchase: GET {base-url}/v1/purchases/{provider_reference}.
    provider_reference text        NOT NULL UNIQUE,
    status             text        NOT NULL DEFAULT 'PENDING'
                                   CHECK (status IN ('PENDING', 'COMPLETED', 'FAILED')),
    requested_at       timestamptz NOT NULL DEFAULT now(),
    -- The last time the provider was asked about it, whatever it answered.
    last_checked_at    timestamptz,
    -- The provider's last refusal to answer about it (a 4xx such as an unknown reference), in our
    -- own words with the HTTP status; cleared by the next good answer. The purchase stays PENDING.
    last_check_error   text,
    completed_at       timestamptz,
    failed_at          timestamptz,
    -- The provider's reason for a FAILED purchase (a short code such as 'payment_declined').
    failure_reason     text,
    stuck_flagged_at   timestamptz,
    CHECK ((status = 'COMPLETED') = (completed_at IS NOT NULL)),
    CHECK ((status = 'FAILED') = (failed_at IS NOT NULL))
);
-- A vehicle is in at most one pending purchase at a time.
CREATE UNIQUE INDEX vehicle_purchases_one_pending_per_vehicle
    ON vehicle_purchases (vehicle_id) WHERE status = 'PENDING';
-- The check walks the pending rows by id, and the stuck claim looks for the old unflagged ones.
CREATE INDEX vehicle_purchases_pending ON vehicle_purchases (id) WHERE status = 'PENDING';
CREATE INDEX vehicle_purchases_stuck
    ON vehicle_purchases (requested_at) WHERE status = 'PENDING' AND stuck_flagged_at IS NULL;
-- GET /api/purchases and /ops/purchases: newest (highest id) first, by status and by company.
CREATE INDEX vehicle_purchases_status ON vehicle_purchases (status, id);
CREATE INDEX vehicle_purchases_company ON vehicle_purchases (company_id, id);
