-- The security log: every refused call, to the api (no or a bad trigger token, a missing scope, a
-- body that does not match its token) and to the webhooks (bad signatures), in one place. Kept:
-- time, channel (api, codec, stripe, billion), source address, path and reason. Never the token,
-- a header value or the body.
ALTER TABLE webhook_refusals RENAME TO security_log;
ALTER TABLE security_log RENAME COLUMN provider TO channel;
ALTER TABLE security_log ADD COLUMN path text;
ALTER INDEX webhook_refusals_received RENAME TO security_log_received;
ALTER SEQUENCE webhook_refusals_id_seq RENAME TO security_log_id_seq;
