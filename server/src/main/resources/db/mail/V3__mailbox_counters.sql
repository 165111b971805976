-- Postern mail store, schema version 3: what SELECT, STATUS and the quota check need, kept per mailbox, so they
-- read one row instead of evaluating every message's flags (SELECT of 10,000 messages: ~10 ms of counting).
--
-- The counters are kept by triggers, as the blob references are (V1): no code path that inserts, deletes or
-- moves a message, or changes its flags, can forget them. A flag test is "\Seen " inside flags || ' ': a
-- backslash only ever starts a system flag (keywords are atoms), so this is exact (SqliteReadTx.HAS_SEEN).
ALTER TABLE mailbox ADD COLUMN messages INTEGER NOT NULL DEFAULT 0;
ALTER TABLE mailbox ADD COLUMN unseen INTEGER NOT NULL DEFAULT 0;
ALTER TABLE mailbox ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE mailbox ADD COLUMN size INTEGER NOT NULL DEFAULT 0;          -- RFC822.SIZE summed (RFC 9208 STORAGE)
ALTER TABLE mailbox ADD COLUMN deleted_size INTEGER NOT NULL DEFAULT 0;  -- of the \Deleted ones (DELETED-STORAGE)
-- Every keyword ever set on a message of this mailbox, space-separated: SELECT's FLAGS (RFC 9051 §7.3.1 lists
-- the flags that apply in the mailbox). Kept by the writer (a keyword is a word inside a flags string, which a
-- trigger cannot split cheaply) and, like Dovecot's, not forgotten when the last message loses it.
ALTER TABLE mailbox ADD COLUMN keywords TEXT NOT NULL DEFAULT '';

UPDATE mailbox SET
    messages = (SELECT count(*) FROM message WHERE mailbox = mailbox.id),
    unseen = (SELECT count(*) FROM message WHERE mailbox = mailbox.id AND instr(flags || ' ', '\Seen ') = 0),
    deleted = (SELECT count(*) FROM message WHERE mailbox = mailbox.id AND instr(flags || ' ', '\Deleted ') > 0),
    size = (SELECT coalesce(sum(size), 0) FROM message WHERE mailbox = mailbox.id),
    deleted_size = (SELECT coalesce(sum(size), 0) FROM message
                    WHERE mailbox = mailbox.id AND instr(flags || ' ', '\Deleted ') > 0);

-- The keywords now set, split out of the distinct flag strings that hold one (a word not starting with '\').
WITH RECURSIVE split (mailbox, word, rest) AS (
    SELECT mailbox, '', flags || ' ' FROM (SELECT DISTINCT mailbox, flags FROM message
                                           WHERE (' ' || flags) GLOB '* [^\]*')
    UNION ALL
    SELECT mailbox, substr(rest, 1, instr(rest, ' ') - 1), substr(rest, instr(rest, ' ') + 1) FROM split
    WHERE rest <> ''
)
UPDATE mailbox SET keywords = coalesce((SELECT group_concat(word, ' ') FROM
    (SELECT min(word) AS word FROM split WHERE split.mailbox = mailbox.id AND word <> '' AND substr(word, 1, 1) <> '\'
     GROUP BY lower(word))), '');

-- The first unseen message (SELECT's [UNSEEN n] for IMAP4rev1) by index: only unseen messages are in it.
CREATE INDEX message_unseen ON message (mailbox, uid) WHERE instr(flags || ' ', '\Seen ') = 0;

CREATE TRIGGER message_counts_insert AFTER INSERT ON message BEGIN
    UPDATE mailbox SET messages = messages + 1, size = size + new.size,
        unseen = unseen + (instr(new.flags || ' ', '\Seen ') = 0),
        deleted = deleted + (instr(new.flags || ' ', '\Deleted ') > 0),
        deleted_size = deleted_size + iif(instr(new.flags || ' ', '\Deleted ') > 0, new.size, 0)
    WHERE id = new.mailbox;
END;

CREATE TRIGGER message_counts_delete AFTER DELETE ON message BEGIN
    UPDATE mailbox SET messages = messages - 1, size = size - old.size,
        unseen = unseen - (instr(old.flags || ' ', '\Seen ') = 0),
        deleted = deleted - (instr(old.flags || ' ', '\Deleted ') > 0),
        deleted_size = deleted_size - iif(instr(old.flags || ' ', '\Deleted ') > 0, old.size, 0)
    WHERE id = old.mailbox;
END;

-- Flags changed in place (STORE): one update with the difference.
CREATE TRIGGER message_counts_update AFTER UPDATE OF flags, size, mailbox ON message
WHEN old.mailbox = new.mailbox BEGIN
    UPDATE mailbox SET size = size + new.size - old.size,
        unseen = unseen + (instr(new.flags || ' ', '\Seen ') = 0) - (instr(old.flags || ' ', '\Seen ') = 0),
        deleted = deleted + (instr(new.flags || ' ', '\Deleted ') > 0) - (instr(old.flags || ' ', '\Deleted ') > 0),
        deleted_size = deleted_size + iif(instr(new.flags || ' ', '\Deleted ') > 0, new.size, 0)
                                    - iif(instr(old.flags || ' ', '\Deleted ') > 0, old.size, 0)
    WHERE id = new.mailbox;
END;

-- A message moved to another mailbox (RENAME INBOX): out of one, into the other.
CREATE TRIGGER message_counts_move AFTER UPDATE OF flags, size, mailbox ON message
WHEN old.mailbox <> new.mailbox BEGIN
    UPDATE mailbox SET messages = messages - 1, size = size - old.size,
        unseen = unseen - (instr(old.flags || ' ', '\Seen ') = 0),
        deleted = deleted - (instr(old.flags || ' ', '\Deleted ') > 0),
        deleted_size = deleted_size - iif(instr(old.flags || ' ', '\Deleted ') > 0, old.size, 0)
    WHERE id = old.mailbox;
    UPDATE mailbox SET messages = messages + 1, size = size + new.size,
        unseen = unseen + (instr(new.flags || ' ', '\Seen ') = 0),
        deleted = deleted + (instr(new.flags || ' ', '\Deleted ') > 0),
        deleted_size = deleted_size + iif(instr(new.flags || ' ', '\Deleted ') > 0, new.size, 0)
    WHERE id = new.mailbox;
END;
