-- Directory schema, version 1: domains, accounts, aliases.
-- Names are stored in normal form: lower case, domains as A-labels (see Addresses.java).
-- Statements end with ';' at the end of a line (the migration runner splits there).

CREATE TABLE domain (
    name       TEXT PRIMARY KEY,
    created_at TEXT NOT NULL
) STRICT;

-- AUTOINCREMENT: an id is never handed out twice, even after the account is removed, because mail,
-- sessions and the queue key on it.
CREATE TABLE account (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    address       TEXT NOT NULL UNIQUE,
    domain        TEXT NOT NULL REFERENCES domain (name),
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL
) STRICT;

CREATE INDEX account_by_domain ON account (domain, address);

-- One row per alias target; an alias is the rows of one source, in insertion order (id).
-- source is 'local@domain', or '@domain' for the domain's catch-all.
CREATE TABLE alias_target (
    id         INTEGER PRIMARY KEY,
    source     TEXT NOT NULL,
    domain     TEXT NOT NULL REFERENCES domain (name),
    target     TEXT NOT NULL COLLATE NOCASE,
    created_at TEXT NOT NULL,
    UNIQUE (source, target)
) STRICT;

CREATE INDEX alias_target_by_domain ON alias_target (domain);
