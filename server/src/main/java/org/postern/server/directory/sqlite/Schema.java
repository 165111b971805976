package org.postern.server.directory.sqlite;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.postern.server.directory.DirectoryException;

/**
 * Versioned migrations of {@code directory.db}, Flyway style: {@code db/directory/V<n>__<what>.sql} applied in
 * order, each recorded in {@code schema_version}. A database written by a newer postern (a version we do not
 * know) is refused rather than guessed at.
 */
final class Schema {
    /** The migrations, in order; V(n) is at index n-1. Listed here because a jar cannot be listed portably. */
    static final List<String> MIGRATIONS = List.of("V1__init.sql", "V2__quota.sql");
    private static final String RESOURCE_DIR = "/db/directory/";

    private Schema() {}

    static int latestVersion() {
        return MIGRATIONS.size();
    }

    /** Brings the schema up to {@link #latestVersion()} in one immediate transaction (safe against a
     *  concurrent opener: the second one waits, then finds nothing to do). */
    static void migrate(Connection c, Path file) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
            try {
                s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
                        + "script TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT");
                int current = currentVersion(c);
                if (current > latestVersion())
                    throw new DirectoryException(file + " has schema version " + current
                            + " but this postern knows versions up to " + latestVersion()
                            + ": run the newer postern that wrote it, or restore a backup made by this one");
                for (int v = current + 1; v <= latestVersion(); v++) apply(c, v);
                s.execute("COMMIT");
            } catch (SQLException | RuntimeException e) {
                s.execute("ROLLBACK");
                throw e;
            }
        }
    }

    static int currentVersion(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT coalesce(max(version), 0) FROM schema_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    private static void apply(Connection c, int version) throws SQLException {
        String script = MIGRATIONS.get(version - 1);
        if (!script.startsWith("V" + version + "__")) throw new IllegalStateException("migration out of order: " + script);
        try (Statement s = c.createStatement()) {
            for (String sql : statements(load(script))) s.execute(sql);
        }
        try (PreparedStatement p = c.prepareStatement(
                "INSERT INTO schema_version (version, script, applied_at) VALUES (?, ?, ?)")) {
            p.setInt(1, version);
            p.setString(2, script);
            p.setString(3, Instant.now().toString());
            p.executeUpdate();
        }
    }

    /** Splits a script at ';' ending a line, dropping '--' comment lines. */
    static List<String> statements(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("--") || trimmed.isEmpty()) continue;
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                out.add(current.toString().strip());
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) throw new IllegalStateException("migration ends without ';'");
        return out;
    }

    private static String load(String script) {
        try (InputStream in = Schema.class.getResourceAsStream(RESOURCE_DIR + script)) {
            if (in == null) throw new IllegalStateException("migration missing from the build: " + script);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
