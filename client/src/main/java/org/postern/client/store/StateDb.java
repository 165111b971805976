package org.postern.client.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.sqlite.SQLiteConfig;

/**
 * state.db: one SQLite connection (the store is single-writer by its lock file), WAL, synchronous=FULL so a commit
 * is on disk when it returns (the outbox's exactly-once rules need that), foreign keys on, a busy timeout as the
 * server's store uses. Tables as in decision 0005; SQL errors become {@link LocalStoreException}s.
 */
final class StateDb implements AutoCloseable {
    /** How long a statement waits for a lock held by another connection (a reader tool) before SQLITE_BUSY. */
    static final Duration BUSY_TIMEOUT = Duration.ofSeconds(30);

    /** The schema version this code writes; a newer state.db is refused rather than misread. */
    static final int SCHEMA_VERSION = 1;

    private static final String SCHEMA = """
            CREATE TABLE folder (
              id INTEGER PRIMARY KEY,
              name TEXT NOT NULL UNIQUE,
              delimiter TEXT,
              attributes TEXT NOT NULL DEFAULT '',
              uidvalidity INTEGER NOT NULL DEFAULT 0,
              uidnext INTEGER NOT NULL DEFAULT 0,
              highestmodseq INTEGER NOT NULL DEFAULT 0,
              synced_at INTEGER
            );
            CREATE TABLE message (
              id INTEGER PRIMARY KEY,
              folder_id INTEGER NOT NULL REFERENCES folder(id) ON DELETE CASCADE,
              uid INTEGER,
              file TEXT NOT NULL,
              flags TEXT NOT NULL,
              base_flags TEXT NOT NULL,
              modseq INTEGER NOT NULL DEFAULT 0,
              internal_date INTEGER NOT NULL,
              size INTEGER NOT NULL,
              date INTEGER,
              from_addr TEXT NOT NULL,
              to_addrs TEXT NOT NULL,
              cc_addrs TEXT NOT NULL,
              subject TEXT NOT NULL,
              message_id TEXT,
              in_reply_to TEXT,
              refs TEXT NOT NULL,
              has_attachments INTEGER NOT NULL,
              local_state TEXT NOT NULL DEFAULT 'SYNCED' CHECK (local_state IN ('SYNCED', 'DELETED', 'MOVED'))
            );
            CREATE UNIQUE INDEX message_uid ON message (folder_id, uid) WHERE uid IS NOT NULL;
            CREATE INDEX message_date ON message (folder_id, date);
            CREATE INDEX message_header_id ON message (folder_id, message_id);
            CREATE TABLE pending (
              id INTEGER PRIMARY KEY,
              kind TEXT NOT NULL CHECK (kind IN ('FLAGS', 'DELETE', 'MOVE', 'APPEND')),
              message_id INTEGER NOT NULL,
              folder TEXT NOT NULL,
              uid INTEGER,
              target_folder TEXT,
              created INTEGER NOT NULL
            );
            CREATE INDEX pending_message ON pending (message_id);
            CREATE TABLE outbox (
              id INTEGER PRIMARY KEY,
              file TEXT NOT NULL,
              message_id_header TEXT NOT NULL,
              sender TEXT NOT NULL,
              recipients TEXT NOT NULL,
              state TEXT NOT NULL CHECK (state IN ('QUEUED', 'SENDING', 'SENT', 'FILED')),
              attempts INTEGER NOT NULL DEFAULT 0,
              last_error TEXT,
              created INTEGER NOT NULL
            );
            CREATE VIRTUAL TABLE search USING fts5 (from_addr, to_addrs, cc_addrs, subject, body,
              tokenize = 'unicode61 remove_diacritics 2');
            """;

    @FunctionalInterface
    interface Rows<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private final Connection connection;
    private final Map<String, PreparedStatement> statements = new HashMap<>();

    private StateDb(Connection connection) {
        this.connection = connection;
    }

    static StateDb open(Path file) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.enforceForeignKeys(true);
        config.setBusyTimeout((int) BUSY_TIMEOUT.toMillis());
        StateDb db;
        try {
            db = new StateDb(config.createConnection("jdbc:sqlite:" + file.toAbsolutePath()));
        } catch (SQLException e) {
            throw new LocalStoreException("cannot open " + file + ": " + e.getMessage(), e);
        }
        try {
            db.migrate(file);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        return db;
    }

    private void migrate(Path file) {
        long version = queryLong("PRAGMA user_version").orElse(0L);
        if (version > SCHEMA_VERSION) {
            throw new LocalStoreException(file + " was written by a newer postern (schema " + version
                    + ", this one knows " + SCHEMA_VERSION + ")", null);
        }
        if (version == SCHEMA_VERSION) return;
        begin();
        try (Statement s = connection.createStatement()) {
            for (String sql : SCHEMA.split(";\\s*\\n")) if (!sql.isBlank()) s.executeUpdate(sql);
            s.executeUpdate("PRAGMA user_version = " + SCHEMA_VERSION);
            commit();
        } catch (SQLException e) {
            rollback();
            throw new LocalStoreException("cannot create the tables of " + file + ": " + e.getMessage(), e);
        }
    }

    void begin() {
        control("BEGIN IMMEDIATE");
    }

    void commit() {
        control("COMMIT");
    }

    void rollback() {
        try {
            statement("ROLLBACK").executeUpdate();
        } catch (SQLException e) {
            // no transaction was open: nothing to undo
        }
    }

    private void control(String sql) {
        try {
            statement(sql).executeUpdate();
        } catch (SQLException e) {
            throw failed(sql, e);
        }
    }

    private PreparedStatement statement(String sql) throws SQLException {
        PreparedStatement s = statements.get(sql);
        if (s == null) {
            s = connection.prepareStatement(sql);
            statements.put(sql, s);
        }
        return s;
    }

    private PreparedStatement bind(String sql, Object... args) throws SQLException {
        PreparedStatement s = statement(sql);
        s.clearParameters();
        for (int i = 0; i < args.length; i++) s.setObject(i + 1, args[i]);
        return s;
    }

    int update(String sql, Object... args) {
        try {
            return bind(sql, args).executeUpdate();
        } catch (SQLException e) {
            throw failed(sql, e);
        }
    }

    /** An INSERT; returns the new rowid. */
    long insert(String sql, Object... args) {
        try {
            bind(sql, args).executeUpdate();
            try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT last_insert_rowid()")) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw failed(sql, e);
        }
    }

    <T> List<T> query(String sql, Rows<T> mapper, Object... args) {
        List<T> out = new ArrayList<>();
        try (ResultSet rs = bind(sql, args).executeQuery()) {
            while (rs.next()) out.add(mapper.map(rs));
        } catch (SQLException e) {
            throw failed(sql, e);
        }
        return out;
    }

    <T> Optional<T> queryOne(String sql, Rows<T> mapper, Object... args) {
        List<T> rows = query(sql, mapper, args);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.getFirst());
    }

    Optional<Long> queryLong(String sql, Object... args) {
        try (ResultSet rs = bind(sql, args).executeQuery()) {
            if (!rs.next()) return Optional.empty();
            long v = rs.getLong(1);
            return rs.wasNull() ? Optional.empty() : Optional.of(v);
        } catch (SQLException e) {
            throw failed(sql, e);
        }
    }

    private static LocalStoreException failed(String sql, SQLException e) {
        String first = sql.strip().lines().findFirst().orElse(sql);
        return new LocalStoreException("state.db: " + e.getMessage() + " (in: " + first + ")", e);
    }

    @Override
    public void close() {
        for (PreparedStatement s : statements.values()) {
            try {
                s.close();
            } catch (SQLException e) {
                // closing anyway
            }
        }
        try {
            connection.close();
        } catch (SQLException e) {
            // nothing left to do
        }
    }
}
