-- Stripe payments (issue 5). V4 and V5 are reserved for other work.

-- One row per Stripe PaymentIntent, kept current by the payment jobs. Events may arrive in any
-- order and more than once: status only moves up its precedence (FAILED < AUTHORIZED <
-- SUCCEEDED < PARTIALLY_REFUNDED < REFUNDED), every other column keeps the first known value,
-- so the final row is the same whatever the order.
CREATE TABLE payments (
    payment_intent_id  text        PRIMARY KEY,
    -- metadata.order_id of the intent or charge; NULL until an event carries it
    order_id           bigint,
    charge_id          text,
    -- in the currency's smallest unit (cents), as Stripe sends it
    amount             bigint,
    amount_refunded    bigint      NOT NULL DEFAULT 0,
    currency           text,
    status             text        NOT NULL
        CHECK (status IN ('FAILED', 'AUTHORIZED', 'SUCCEEDED', 'PARTIALLY_REFUNDED', 'REFUNDED')),
    captured_at        timestamptz,
    -- set when this service captured the payment (the job that did it)
    captured_by_job_id uuid,
    last_event_id      text        NOT NULL,
    last_event_type    text        NOT NULL,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX payments_order ON payments (order_id) WHERE order_id IS NOT NULL;

-- The order a payment belongs to shows where its payment stands; order status itself is the
-- platform's (a failed or refunded payment does not cancel the rental by itself).
ALTER TABLE orders ADD COLUMN payment_status text
    CHECK (payment_status IN ('FAILED', 'AUTHORIZED', 'SUCCEEDED', 'PARTIALLY_REFUNDED', 'REFUNDED'));
ALTER TABLE orders ADD COLUMN payment_intent_id text;
ALTER TABLE orders ADD COLUMN paid_at timestamptz;
ALTER TABLE orders ADD COLUMN payment_updated_at timestamptz;

-- Every verified webhook event, once per provider and event id (duplicates count up
-- `deliveries`): whether it became a job or was ignored.
CREATE TABLE webhook_events (
    provider          text        NOT NULL,
    event_id          text        NOT NULL,
    event_type        text        NOT NULL,
    outcome           text        NOT NULL CHECK (outcome IN ('ACCEPTED', 'IGNORED')),
    job_id            uuid,
    deliveries        integer     NOT NULL DEFAULT 1,
    first_received_at timestamptz NOT NULL DEFAULT now(),
    last_received_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (provider, event_id),
    CHECK ((outcome = 'ACCEPTED') = (job_id IS NOT NULL))
);

-- Security log: webhook calls refused before anything was done (bad, missing, stale or future
-- signature, tampered body). No payload and no header values are kept.
CREATE TABLE webhook_refusals (
    id             bigserial   PRIMARY KEY,
    received_at    timestamptz NOT NULL DEFAULT now(),
    provider       text        NOT NULL,
    source_address text        NOT NULL,
    reason         text        NOT NULL
);
CREATE INDEX webhook_refusals_received ON webhook_refusals (received_at DESC);

-- The finance contact's alert for a payment job whose retries all failed: one per job.
CREATE TABLE payment_alerts (
    job_id              uuid        PRIMARY KEY,
    event_id            text        NOT NULL,
    payment_intent_id   text,
    provider_message_id text        NOT NULL,
    sent_at             timestamptz NOT NULL DEFAULT now()
);
