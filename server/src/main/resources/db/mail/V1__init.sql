-- Postern mail store, schema version 1. Applied once, in one transaction, by Migrations.
-- Never edit a released migration: add V2__….sql instead.

-- One row per account that has ever been written to. The counters are handed out inside write transactions.
CREATE TABLE account (
    id                INTEGER PRIMARY KEY,          -- AccountId, assigned by the directory
    modseq            INTEGER NOT NULL DEFAULT 0,   -- highest MODSEQ handed out (RFC 7162), per account
    uidvalidity_next  INTEGER NOT NULL              -- next UIDVALIDITY; seeded with the time of creation
);

-- AUTOINCREMENT: a mailbox id is never reused, even after the highest one is deleted (MailboxId contract).
CREATE TABLE mailbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    account         INTEGER NOT NULL REFERENCES account (id),
    name            TEXT NOT NULL,                  -- MailboxName.value(), '/'-separated
    uidvalidity     INTEGER NOT NULL,
    uid_next        INTEGER NOT NULL DEFAULT 1,
    highest_modseq  INTEGER NOT NULL DEFAULT 0,
    special_use     TEXT NOT NULL DEFAULT '',       -- SpecialUse names, space-separated
    UNIQUE (account, name)
);

-- RFC 9051 §6.3.7: subscriptions are names and outlive the mailbox they named.
CREATE TABLE subscription (
    account  INTEGER NOT NULL REFERENCES account (id),
    name     TEXT NOT NULL,
    PRIMARY KEY (account, name)
) WITHOUT ROWID;

-- Body blobs and how many rows (messages, queued messages) point at each. A blob whose count drops to 0 is
-- deleted in the same transaction (end of each group commit) and its file is removed after commit.
CREATE TABLE blob (
    num   INTEGER PRIMARY KEY,                      -- stable rowid: the key of blob_text and blob_fts
    id    TEXT NOT NULL UNIQUE,                     -- BlobRef.id(), the file name
    refs  INTEGER NOT NULL CHECK (refs >= 0)
);
CREATE INDEX blob_unreferenced ON blob (refs) WHERE refs = 0;

CREATE TABLE message (
    id             INTEGER PRIMARY KEY,
    mailbox        INTEGER NOT NULL REFERENCES mailbox (id),
    uid            INTEGER NOT NULL,
    modseq         INTEGER NOT NULL,
    flags          TEXT NOT NULL,                   -- Flags.toString()
    internal_date  INTEGER NOT NULL,                -- epoch milliseconds
    size           INTEGER NOT NULL,                -- RFC822.SIZE: prefix + blob
    blob           TEXT NOT NULL REFERENCES blob (id),
    prefix         BLOB NOT NULL,                   -- server-added header fields, in front of the blob
    structure      BLOB NOT NULL,                   -- MessageStructure.encode()
    UNIQUE (mailbox, uid)
);
CREATE INDEX message_blob ON message (blob);

-- Search text, once per blob (every copy of a message shares its blob, prefix and text). Written with the
-- message; indexed later, in bulk, by the writer when it is idle (Indexer): indexed = 1 once it is in blob_fts.
-- Searches use the index for indexed rows and scan the few rows still waiting.
CREATE TABLE blob_text (
    num      INTEGER PRIMARY KEY,                   -- blob.num
    headers  TEXT NOT NULL,
    body     TEXT NOT NULL,
    indexed  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX blob_text_waiting ON blob_text (num) WHERE indexed = 0;

-- IMAP's case-insensitive substring search (RFC 9051 §6.4.4) through the trigram tokenizer; the text itself
-- stays in blob_text (external content), so it is stored once.
CREATE VIRTUAL TABLE blob_fts USING fts5 (headers, body, content = 'blob_text', content_rowid = 'num',
    tokenize = 'trigram case_sensitive 0');

-- Every change, kept so CONDSTORE/QRESYNC (RFC 7162), other nodes and client sync can catch up.
-- kind: A added, X expunged, F flags, C mailbox created, R renamed, D mailbox deleted.
CREATE TABLE change (
    account   INTEGER NOT NULL REFERENCES account (id),
    modseq    INTEGER NOT NULL,
    kind      TEXT NOT NULL CHECK (kind IN ('A', 'X', 'F', 'C', 'R', 'D')),
    mailbox   INTEGER NOT NULL,                     -- no FK: changes outlive their mailbox
    uid       INTEGER,                              -- A, F
    flags     TEXT,                                 -- A, F
    uids      TEXT,                                 -- X: ranges, e.g. '1:5,9'
    name      TEXT,                                 -- C, D, R (new name)
    old_name  TEXT,                                 -- R
    PRIMARY KEY (account, modseq)
) WITHOUT ROWID;

-- The outbound queue (DESIGN.md "Relay"): one row per accepted message, one per remote recipient.
CREATE TABLE queue_message (
    id             INTEGER PRIMARY KEY,
    envelope_from  TEXT NOT NULL,                   -- '' for the null reverse-path
    blob           TEXT NOT NULL REFERENCES blob (id),
    prefix         BLOB NOT NULL,
    size           INTEGER NOT NULL,
    created        INTEGER NOT NULL,                -- epoch milliseconds
    next_attempt   INTEGER NOT NULL,                -- epoch milliseconds
    attempts       INTEGER NOT NULL DEFAULT 0,      -- claims so far
    lease_until    INTEGER NOT NULL DEFAULT 0       -- epoch milliseconds; claimed while in the future
);
CREATE INDEX queue_message_due ON queue_message (next_attempt);

CREATE TABLE queue_recipient (
    id          INTEGER PRIMARY KEY,
    message     INTEGER NOT NULL REFERENCES queue_message (id) ON DELETE CASCADE,
    address     TEXT NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT
);
CREATE INDEX queue_recipient_message ON queue_recipient (message);

-- Reference counting. Triggers, so no code path (expunge, mailbox or account delete, queue retire) can forget.
CREATE TRIGGER message_blob_ref AFTER INSERT ON message BEGIN
    INSERT INTO blob (id, refs) VALUES (new.blob, 1) ON CONFLICT (id) DO UPDATE SET refs = refs + 1;
END;
CREATE TRIGGER message_blob_unref AFTER DELETE ON message BEGIN
    UPDATE blob SET refs = refs - 1 WHERE id = old.blob;
END;
CREATE TRIGGER queue_blob_ref AFTER INSERT ON queue_message BEGIN
    INSERT INTO blob (id, refs) VALUES (new.blob, 1) ON CONFLICT (id) DO UPDATE SET refs = refs + 1;
END;
CREATE TRIGGER queue_blob_unref AFTER DELETE ON queue_message BEGIN
    UPDATE blob SET refs = refs - 1 WHERE id = old.blob;
END;
CREATE TRIGGER blob_gone AFTER DELETE ON blob BEGIN
    DELETE FROM blob_text WHERE num = old.num;
END;
-- An external-content index must be told the exact old values of a row it indexed, and only of such a row.
CREATE TRIGGER blob_text_gone AFTER DELETE ON blob_text WHEN old.indexed = 1 BEGIN
    INSERT INTO blob_fts (blob_fts, rowid, headers, body) VALUES ('delete', old.num, old.headers, old.body);
END;
