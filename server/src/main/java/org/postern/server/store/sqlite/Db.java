package org.postern.server.store.sqlite;

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
import org.postern.server.store.StoreException;
import org.sqlite.SQLiteConfig;

/**
 * One SQLite connection and its prepared statements. Not thread-safe: a Db belongs to the writer thread or to
 * one borrower of the reader pool at a time. SQL errors become {@link StoreException}s.
 */
final class Db implements AutoCloseable {
    /**
     * How long a writer waits for another process's write transaction (admin commands share the file) before
     * failing with SQLITE_BUSY.
     */
    static final Duration BUSY_TIMEOUT = Duration.ofSeconds(30);

    private final Connection connection;
    private final Map<String, PreparedStatement> statements = new HashMap<>();

    private Db(Connection connection) {
        this.connection = connection;
    }

    /**
     * Opens {@code file}. WAL lets readers run beside the one writer; synchronous=FULL makes a commit durable
     * when it returns (the SMTP server answers 250 only after it).
     */
    static Db open(Path file, boolean readOnly) {
        SQLiteConfig config = new SQLiteConfig();
        if (!readOnly) config.setJournalMode(SQLiteConfig.JournalMode.WAL);   // persistent: set once by the writer
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.enforceForeignKeys(true);
        config.setBusyTimeout((int) BUSY_TIMEOUT.toMillis());
        if (readOnly) config.setReadOnly(true);
        try {
            return new Db(config.createConnection("jdbc:sqlite:" + file.toAbsolutePath()));
        } catch (SQLException e) {
            throw new StoreException("cannot open " + file + ": " + e.getMessage(), e);
        }
    }

    /** A cached prepared statement; do not nest two uses of the same SQL. */
    PreparedStatement statement(String sql) {
        PreparedStatement s = statements.get(sql);
        if (s != null) return s;
        try {
            s = connection.prepareStatement(sql);
        } catch (SQLException e) {
            throw failed(sql, e);
        }
        statements.put(sql, s);
        return s;
    }

    /** Runs a statement that returns no rows; returns the number of rows changed. */
    int update(String sql, Object... args) {
        PreparedStatement s = bind(sql, args);
        try {
            return s.executeUpdate();
        } catch (SQLException e) {
            throw failed(sql, e);
        }
    }

    /** Runs a query (or a statement with RETURNING) and maps every row. */
    <T> List<T> query(String sql, RowMapper<T> mapper, Object... args) {
        PreparedStatement s = bind(sql, args);
        List<T> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) out.add(mapper.map(rs));
        } catch (SQLException e) {
            throw failed(sql, e);
        }
        return out;
    }

    /**
     * Runs a query and lets {@code reader} walk the rows itself. For a hot query whose loop should be compiled for
     * its own row type: {@link #query}'s loop is shared by every query, so the JIT sees many mappers at its call and
     * compiles it (and, after a deoptimisation, compiles it again) without inlining any of them.
     */
    <T> T read(String sql, RowsReader<T> reader, Object... args) {
        PreparedStatement s = bind(sql, args);
        try (ResultSet rs = s.executeQuery()) {
            return reader.read(rs);
        } catch (SQLException e) {
            throw failed(sql, e);
        }
    }

    <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... args) {
        List<T> rows = query(sql, mapper, args);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.getFirst());
    }

    /** A single long from the first row; empty when there is no row or the value is NULL. */
    Optional<Long> queryLong(String sql, Object... args) {
        PreparedStatement s = bind(sql, args);
        try (ResultSet rs = s.executeQuery()) {
            if (!rs.next()) return Optional.empty();
            long v = rs.getLong(1);
            return rs.wasNull() ? Optional.empty() : Optional.of(v);
        } catch (SQLException e) {
            throw failed(sql, e);
        }
    }

    /**
     * Transaction control (BEGIN, COMMIT, ROLLBACK, SAVEPOINT, RELEASE) through a cached prepared statement:
     * run for every read and every write, so not parsed again each time as {@link #execute} would.
     */
    void control(String sql) {
        try {
            statement(sql).executeUpdate();
        } catch (SQLException e) {
            throw failed(sql, e);
        }
    }

    /** Runs unprepared SQL, possibly several statements (migrations). */
    void execute(String sql) {
        try (Statement s = connection.createStatement()) {
            s.executeUpdate(sql);
        } catch (SQLException e) {
            throw failed(sql, e);
        }
    }

    private PreparedStatement bind(String sql, Object... args) {
        PreparedStatement s = statement(sql);
        try {
            s.clearParameters();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case null -> s.setNull(i + 1, java.sql.Types.NULL);
                    case Long l -> s.setLong(i + 1, l);
                    case Integer n -> s.setLong(i + 1, n);
                    case Boolean b -> s.setInt(i + 1, b ? 1 : 0);
                    case String str -> s.setString(i + 1, str);
                    case byte[] bytes -> s.setBytes(i + 1, bytes);
                    default -> throw new IllegalArgumentException("cannot bind " + args[i].getClass());
                }
            }
        } catch (SQLException e) {
            throw failed(sql, e);
        }
        return s;
    }

    private static StoreException failed(String sql, SQLException e) {
        String first = sql.strip().lines().findFirst().orElse("");
        return new StoreException("database error (" + e.getMessage() + ") in: " + first, e);
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
        statements.clear();
        try {
            connection.close();
        } catch (SQLException e) {
            // nothing left to save
        }
    }

    /** Maps one row; may throw SQLException like the JDBC getters it calls. */
    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    @FunctionalInterface
    interface RowsReader<T> {
        T read(ResultSet rs) throws SQLException;
    }
}
