-- Touchpoints: one row per email the service owes a customer or a company on a given day
-- (a birthday reminder, a vehicle reminder). The row is the "once" of "once per year" and "once
-- per due date": its (kind, subject_key) is unique, and it is written before the email is handed
-- to Mailgun. Sending, Mailgun's message id and Mailgun's delivery events fill in the rest, so
-- GET /api/reports/touchpoints counts due, sent, delivered, failed and late per day and kind.
CREATE TABLE touchpoints (
    id                  bigserial   PRIMARY KEY,
    -- birthday_reminder, vehicle_reminder
    kind                text        NOT NULL,
    -- What makes the email once-only, e.g. 'customer:42:2026' or 'vehicle-due-date:17'.
    subject_key         text        NOT NULL,
    tenant_id           bigint,
    company_id          bigint,
    customer_id         bigint,
    -- The day the email is for, in the recipient's own time zone.
    due_on              date        NOT NULL,
    -- Sent after this instant counts as late (9:00 local on the birthday, say).
    due_by              timestamptz NOT NULL,
    created_at          timestamptz NOT NULL DEFAULT now(),
    -- The Mailgun call (batch) the email went out in; set when it is claimed for sending.
    batch_id            uuid,
    sent_at             timestamptz,
    late                boolean,
    provider_message_id text,
    -- Mailgun's latest delivery verdict for this recipient.
    delivery_status     text CHECK (delivery_status IN ('DELIVERED', 'FAILED', 'BOUNCED', 'COMPLAINED')),
    delivered_at        timestamptz,
    failed_at           timestamptz,
    UNIQUE (kind, subject_key)
);
CREATE INDEX touchpoints_due_on ON touchpoints (due_on, kind);
CREATE INDEX touchpoints_batch ON touchpoints (batch_id) WHERE batch_id IS NOT NULL;
CREATE INDEX touchpoints_message ON touchpoints (provider_message_id) WHERE provider_message_id IS NOT NULL;
