-- Birthday reminders in Mailgun batches, and Mailgun's delivery webhooks.

-- The prefilter of a birthday run: customers whose birthday (month and day) is one of the two or
-- three calendar days that are "today" somewhere on earth; the exact rule (their own time zone,
-- 29 February, the send window) is applied to these few in Java (BirthdayRules).
CREATE FUNCTION birthday_month_day(d date) RETURNS integer
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS 'SELECT (EXTRACT(MONTH FROM d) * 100 + EXTRACT(DAY FROM d))::integer';
CREATE INDEX customers_birthday ON customers (birthday_month_day(birth_date))
    WHERE birth_date IS NOT NULL;

-- A touchpoint claimed but not sent before this instant (midnight ending the recipient's local
-- day) is no longer sent: a birthday reminder goes out on the birthday or not at all.
ALTER TABLE touchpoints ADD COLUMN send_until timestamptz;
-- Which run (workflow id) gave the row its batch id, and when. A run finishes its own unsettled
-- batches at once, another run's only after ten minutes (that run has died): two runs at once never
-- send one batch twice.
ALTER TABLE touchpoints ADD COLUMN batch_owner text;
ALTER TABLE touchpoints ADD COLUMN batch_started_at timestamptz;
-- The time of the Mailgun event that set delivery_status: events can arrive out of order, and an
-- older one never overwrites a newer verdict.
ALTER TABLE touchpoints ADD COLUMN delivery_event_at timestamptz;
-- Why Mailgun failed it (bounce, suppress-bounce, ...), or 'rejected' when it refused the batch.
ALTER TABLE touchpoints ADD COLUMN failure_reason text;
CREATE INDEX touchpoints_unsent ON touchpoints (kind, id) WHERE sent_at IS NULL AND delivery_status IS NULL;
CREATE INDEX touchpoints_sent_at ON touchpoints (sent_at) WHERE sent_at IS NOT NULL;

-- email_sends is keyed by what one Mailgun call sends once: a job's id (one email) or a batch's id
-- (up to 1,000 recipients of one touchpoint kind). Both are UUIDs.
COMMENT ON COLUMN email_sends.job_id IS 'the job id of one email, or the batch id of a batch send';

-- Every webhook token Mailgun signed, accepted once: a second call with the same token is a replay.
-- Rows older than a day are deleted by the api as it receives new ones (a token that old would be
-- refused as stale anyway).
CREATE TABLE mailgun_webhook_tokens (
    token       text        PRIMARY KEY,
    received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX mailgun_webhook_tokens_received ON mailgun_webhook_tokens (received_at);

-- Mailgun's delivery events as received, one row per event id: which message and recipient
-- (touchpoint, or the job of a single email) they concern, never the address itself.
CREATE TABLE mailgun_events (
    event_id      text        PRIMARY KEY,
    event         text        NOT NULL,
    severity      text,
    reason        text,
    occurred_at   timestamptz NOT NULL,
    received_at   timestamptz NOT NULL DEFAULT now(),
    message_id    text,
    touchpoint_id bigint,
    job_id        text
);
CREATE INDEX mailgun_events_touchpoint ON mailgun_events (touchpoint_id) WHERE touchpoint_id IS NOT NULL;
CREATE INDEX mailgun_events_message ON mailgun_events (message_id);

-- Whether a customer already has a recent touchpoint (the claim's prefilter; the unique key stays
-- the guarantee).
CREATE INDEX touchpoints_customer ON touchpoints (customer_id, due_on) WHERE customer_id IS NOT NULL;
