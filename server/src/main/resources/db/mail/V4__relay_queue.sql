-- Postern mail store, schema version 4: what the relay queue needs to deliver, retry and report (RFC 3461 DSN
-- parameters, the transaction's body type, the notices sent, the last remote reply per recipient).
--
-- Rows queued by an older Postern get the safe values: eight_bit = 1 (we do not know, so a server without
-- 8BITMIME gets the message converted to 7 bit, RFC 6152 §3), no DSN parameters (RFC 3461 defaults).
ALTER TABLE queue_message ADD COLUMN ret TEXT;                             -- 'FULL' / 'HDRS' (RFC 3461 §4.3) or NULL
ALTER TABLE queue_message ADD COLUMN envid TEXT;                           -- ENVID, decoded (RFC 3461 §4.4) or NULL
ALTER TABLE queue_message ADD COLUMN eight_bit INTEGER NOT NULL DEFAULT 1; -- MAIL had BODY=8BITMIME (RFC 6152)
ALTER TABLE queue_message ADD COLUMN smtputf8 INTEGER NOT NULL DEFAULT 0;  -- MAIL had SMTPUTF8 (RFC 6531)
ALTER TABLE queue_message ADD COLUMN delay_notified INTEGER NOT NULL DEFAULT 0;  -- the one delay notice is sent
ALTER TABLE queue_message ADD COLUMN bounce_requested INTEGER NOT NULL DEFAULT 0; -- `postern queue bounce`

ALTER TABLE queue_recipient ADD COLUMN notify TEXT;        -- NOTIFY value ('NEVER', 'SUCCESS,FAILURE') or NULL
ALTER TABLE queue_recipient ADD COLUMN orcpt TEXT;         -- ORCPT value as on the wire ('rfc822;a+2Bb@c') or NULL
ALTER TABLE queue_recipient ADD COLUMN remote_host TEXT;   -- the host that gave last_error, when one did
ALTER TABLE queue_recipient ADD COLUMN status TEXT;        -- RFC 3463 status of last_error ('4.4.1')
