package org.postern.client.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.postern.client.store.LocalStore.OutboxEntry;

/**
 * The outbox of {@link LocalStore}: messages written and not yet sent, each a file in {@code outbox/queue} (copied
 * there tmp -> fsync -> rename -> fsync dir before its row commits) and a row whose state moves QUEUED -> SENDING
 * -> SENT -> FILED, each state on disk before the call returns (decision 0005, "Outbox, exactly once").
 * Called under the store's lock.
 */
final class Outbox {
    private static final String OUTBOX_SQL = "SELECT id, file, message_id_header, sender, recipients, state, attempts, "
            + "last_error, created FROM outbox";

    private final LocalStore store;

    Outbox(LocalStore store) {
        this.store = store;
    }

    OutboxEntry queue(Path message, String messageIdHeader, String sender, List<String> recipients)
            throws IOException {
        if (recipients.isEmpty()) throw new IllegalArgumentException("a message to send needs at least one recipient");
        for (String s : concat(List.of(messageIdHeader, sender), recipients)) {
            if (s.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
                throw new IllegalArgumentException("line break in an outbox field: \"" + s.strip() + "\"");
            }
        }
        String name = MaildirName.newUnique() + ".eml";
        Path tmp = store.outboxTmp.resolve(name);
        try (InputStream in = Files.newInputStream(message)) {
            Durable.write(in, tmp);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Path file = store.outboxQueue.resolve(name);
        Durable.rename(tmp, file);
        long id;
        try {
            id = store.transaction(() -> store.db.insert("INSERT INTO outbox (file, message_id_header, sender, recipients, state, "
                            + "created) VALUES (?, ?, ?, ?, 'QUEUED', ?)", name, messageIdHeader, sender,
                    String.join("\n", recipients), Instant.now().toEpochMilli()));
        } catch (RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        return outboxEntry(id).orElseThrow();
    }

    List<OutboxEntry> entries() {
        return store.db.query(OUTBOX_SQL + " ORDER BY id", this::outboxRow);
    }

    void state(long id, OutboxEntry.State state, Optional<String> error) {
        OutboxEntry e = outboxEntry(id).orElseThrow(() -> new IllegalArgumentException("no outbox entry " + id));
        boolean allowed = switch (e.state()) {
            case QUEUED -> state == OutboxEntry.State.SENDING;
            case SENDING -> state != OutboxEntry.State.FILED;
            case SENT -> state == OutboxEntry.State.FILED;
            case FILED -> false;
        };
        if (!allowed) {
            throw new IllegalStateException("outbox entry " + id + " is " + e.state() + " and cannot become " + state);
        }
        store.transaction(() -> store.db.update("UPDATE outbox SET state = ?, attempts = attempts + ?, "
                        + "last_error = coalesce(?, last_error) WHERE id = ?", state.name(),
                state == OutboxEntry.State.SENDING ? 1 : 0, error.orElse(null), id));
    }

    void remove(long id) throws IOException {
        OutboxEntry e = outboxEntry(id).orElseThrow(() -> new IllegalArgumentException("no outbox entry " + id));
        if (e.state() != OutboxEntry.State.FILED && e.state() != OutboxEntry.State.QUEUED) {
            throw new IllegalStateException("outbox entry " + id + " is " + e.state() + "; only a QUEUED or FILED "
                    + "entry can be removed");
        }
        store.transaction(() -> store.db.update("DELETE FROM outbox WHERE id = ?", id));
        Durable.delete(e.file());
    }

    private Optional<OutboxEntry> outboxEntry(long id) {
        return store.db.queryOne(OUTBOX_SQL + " WHERE id = ?", this::outboxRow, id);
    }

    private OutboxEntry outboxRow(ResultSet rs) throws SQLException {
        return new OutboxEntry(rs.getLong(1), store.outboxQueue.resolve(rs.getString(2)), rs.getString(3),
                rs.getString(4), List.of(rs.getString(5).split("\n")), OutboxEntry.State.valueOf(rs.getString(6)),
                rs.getInt(7), Optional.ofNullable(rs.getString(8)), Instant.ofEpochMilli(rs.getLong(9)));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
