package org.postern.server.store.sqlite;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.postern.server.store.StoreException;

/**
 * Versioned schema migrations (Flyway style): {@code db/mail/V<n>__<what>.sql} on the class path, applied in
 * order at open, each in its own transaction together with its row in {@code schema_version}. Another process
 * opening the same file at the same time is harmless: the version is re-read inside the write transaction.
 */
final class Migrations {
    /** Every migration, in order; version n is the n-th entry. Add new files at the end, never edit old ones. */
    static final List<String> FILES = List.of("V1__init.sql", "V2__inline_blobs.sql", "V3__mailbox_counters.sql",
            "V4__relay_queue.sql");

    private Migrations() {}

    static int latest() {
        return FILES.size();
    }

    /** Brings the database up to {@link #latest()}; refuses a database written by a newer Postern. */
    static void migrate(Db db) {
        db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied INTEGER NOT NULL)");
        checkNotFromTheFuture(current(db));
        for (int version = 1; version <= latest(); version++) {
            if (version <= current(db)) continue;
            String sql = load(FILES.get(version - 1));
            db.execute("BEGIN IMMEDIATE");
            try {
                int now = current(db);              // another process may have migrated meanwhile
                checkNotFromTheFuture(now);
                if (version > now) {
                    db.execute(sql);
                    db.update("INSERT INTO schema_version (version, applied) VALUES (?, ?)", version,
                            System.currentTimeMillis());
                }
                db.execute("COMMIT");
            } catch (RuntimeException e) {
                rollbackQuietly(db);
                throw new StoreException("migration to schema version " + version + " failed: " + e.getMessage(), e);
            }
        }
    }

    static int current(Db db) {
        return db.queryLong("SELECT max(version) FROM schema_version").orElse(0L).intValue();
    }

    private static void checkNotFromTheFuture(int version) {
        if (version > latest()) {
            throw new StoreException("mail.db is at schema version " + version + " but this Postern knows up to "
                    + latest() + ": upgrade Postern");
        }
    }

    private static String load(String file) {
        try (InputStream in = Migrations.class.getResourceAsStream("/db/mail/" + file)) {
            if (in == null) throw new StoreException("migration " + file + " missing from the class path");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void rollbackQuietly(Db db) {
        try {
            db.execute("ROLLBACK");
        } catch (StoreException e) {
            // no transaction was open
        }
    }
}
