package org.postern.client.sync;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.postern.client.store.LocalStoreException;

/**
 * The POP3 unique-ids (RFC 1939 §7 UIDL) already downloaded for an account, with when: {@code pop3.db} (SQLite)
 * next to the store's {@code state.db}. It lives here, not in {@code state.db}, because only POP3 sync needs it
 * and {@code state.db}'s schema belongs to {@code client.store}. A UIDL is recorded right after its message is
 * committed to the store; a crash between the two downloads that one message again (at least once). A database
 * failure (a damaged or unwritable file, a full disk) is a {@link LocalStoreException}, as the store's own are: the
 * commands report it as a problem of the offline copy, in one sentence.
 */
final class UidlLog implements AutoCloseable {
    static final String FILE_NAME = "pop3.db";

    /** RFC 1939 §7: a unique-id is 1 to 70 characters in 0x21-0x7E. A longer or odd one is refused, not stored. */
    static final int MAX_UIDL_CHARS = 70;

    private final Connection db;

    private UidlLog(Connection db) {
        this.db = db;
    }

    static UidlLog open(Path storeDirectory) {
        try {
            Connection db = DriverManager.getConnection("jdbc:sqlite:" + storeDirectory.resolve(FILE_NAME));
            try (Statement s = db.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=FULL");
                s.execute("CREATE TABLE IF NOT EXISTS seen(uidl TEXT PRIMARY KEY, downloaded_at INTEGER NOT NULL)");
            }
            return new UidlLog(db);
        } catch (SQLException e) {
            throw new LocalStoreException("cannot open " + storeDirectory.resolve(FILE_NAME) + ": " + e.getMessage(), e);
        }
    }

    /** Refuses a unique-id RFC 1939 §7 does not allow, with a sentence naming it. */
    static String check(String uidl) {
        if (uidl.isEmpty() || uidl.length() > MAX_UIDL_CHARS) {
            throw new IllegalArgumentException("the POP3 server sent a unique-id of " + uidl.length()
                    + " characters; RFC 1939 allows 1 to " + MAX_UIDL_CHARS);
        }
        for (int i = 0; i < uidl.length(); i++) {
            char ch = uidl.charAt(i);
            if (ch < 0x21 || ch > 0x7E) {
                throw new IllegalArgumentException("the POP3 server sent a unique-id with character 0x"
                        + Integer.toHexString(ch) + "; RFC 1939 allows 0x21 to 0x7E only");
            }
        }
        return uidl;
    }

    /** Every recorded unique-id with when its message was downloaded. */
    Map<String, Instant> seen() {
        Map<String, Instant> out = new HashMap<>();
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT uidl, downloaded_at FROM seen")) {
            while (rs.next()) out.put(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)));
        } catch (SQLException e) {
            throw new LocalStoreException("cannot read " + FILE_NAME + ": " + e.getMessage(), e);
        }
        return out;
    }

    void record(String uidl, Instant downloadedAt) {
        try (PreparedStatement ps = db.prepareStatement("INSERT OR IGNORE INTO seen(uidl, downloaded_at) VALUES (?, ?)")) {
            ps.setString(1, check(uidl));
            ps.setLong(2, downloadedAt.toEpochMilli());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new LocalStoreException("cannot write " + FILE_NAME + ": " + e.getMessage(), e);
        }
    }

    /** Forgets unique-ids the server no longer lists (deleted there), so the table stays as small as the mailbox. */
    void keepOnly(Set<String> onServer) {
        Map<String, Instant> all = seen();
        try (PreparedStatement ps = db.prepareStatement("DELETE FROM seen WHERE uidl = ?")) {
            for (String uidl : all.keySet()) {
                if (onServer.contains(uidl)) continue;
                ps.setString(1, uidl);
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw new LocalStoreException("cannot write " + FILE_NAME + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            db.close();
        } catch (SQLException e) {
            // closing a connection we only read and wrote through; nothing is left to lose
        }
    }
}
