-- One row per job whose email was handed to Mailgun, written before the POST (MailgunMailSender,
-- EmailSends). Mailgun has no idempotency key: when an attempt ends without Mailgun's answer (a
-- timeout, a lost connection, a 5xx, a killed worker), the row tells the next attempt that an
-- earlier send may have been accepted, so it looks for the message in Mailgun's events before it
-- sends again. A send Mailgun certainly did not take (refused, never connected) deletes the row.
CREATE TABLE email_sends (
    job_id              uuid        PRIMARY KEY,
    -- The first send still counted: the events lookup searches from here.
    first_started_at    timestamptz NOT NULL DEFAULT now(),
    -- The latest send's start.
    started_at          timestamptz NOT NULL DEFAULT now(),
    sends               integer     NOT NULL DEFAULT 1,
    -- When the latest send's answer was lost; null while it runs, and after a killed attempt.
    outcome_unknown_at  timestamptz,
    -- Mailgun's message id, once known (from its answer or from its events).
    provider_message_id text
);
