package org.postern.server.store.sqlite;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.postern.server.queue.QueueStore;
import org.postern.server.queue.QueuedMessage;
import org.postern.server.store.BlobRef;
import org.postern.server.store.Delivery;
import org.postern.wire.dsn.EnvelopeId;
import org.postern.wire.dsn.Notify;
import org.postern.wire.dsn.OriginalRecipient;
import org.postern.wire.dsn.Ret;

/**
 * The outbound queue in mail.db. Writes go through the same group-committing writer as mail, so a claim is
 * an {@code UPDATE … RETURNING} that no other claim can interleave with: two workers never get the same
 * message while its lease lives.
 *
 * <p>{@link QueuedMessage#attempts()} counts claims: a worker that crashes mid-attempt still moves the message
 * along its retry schedule, so a message that crashes workers cannot be retried in a tight loop.
 */
final class SqliteQueueStore implements QueueStore {
    private static final String MESSAGE_COLUMNS = "id, envelope_from, blob, prefix, size, created, next_attempt, "
            + "attempts, ret, envid, eight_bit, smtputf8, delay_notified, bounce_requested";

    private final Writer writer;
    private final ReaderPool readers;
    private final List<Runnable> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    SqliteQueueStore(Writer writer, ReaderPool readers) {
        this.writer = writer;
        this.readers = readers;
    }

    /** Enqueues within the delivery's unit: the message is due at once. Returns the queue id. */
    static long insert(WriteScope scope, Delivery.Outbound outbound, BlobRef body) {
        long now = scope.clock().millis();
        Db db = scope.db();
        Delivery.Options o = outbound.options();
        long id = db.queryLong("INSERT INTO queue_message (envelope_from, blob, prefix, size, created, next_attempt, "
                        + "ret, envid, eight_bit, smtputf8) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                outbound.envelopeFrom(), body.id(), outbound.prefix(), outbound.size(), now, now,
                o.ret().map(Ret::name).orElse(null), o.envelopeId().map(EnvelopeId::value).orElse(null),
                o.eightBit(), o.smtpUtf8()).orElseThrow();
        scope.referenced(body);
        for (Delivery.OutboundRecipient rcpt : outbound.rcpts()) {
            db.update("INSERT INTO queue_recipient (message, address, notify, orcpt) VALUES (?, ?, ?, ?)", id,
                    rcpt.address(), rcpt.notifyOn().map(n -> n.toParameter().substring("NOTIFY=".length())).orElse(null),
                    rcpt.orcpt().map(r -> r.toParameter().substring("ORCPT=".length())).orElse(null));
        }
        return id;
    }

    @Override
    public void onQueued(Runnable listener) {
        listeners.add(listener);
    }

    /** A delivery committed a queue entry (called by this process's store, after the commit). */
    void queued() {
        for (Runnable l : listeners) l.run();
    }

    @Override
    public List<QueuedMessage> claimDue(Instant now, int max, Duration lease) {
        if (max <= 0) return List.of();
        long nowMs = now.toEpochMilli();
        long until = now.plus(lease).toEpochMilli();
        return writer.submit(scope -> {
            Db db = scope.db();
            List<Long> ids = db.query("UPDATE queue_message SET lease_until = ?, attempts = attempts + 1 WHERE id IN "
                            + "(SELECT id FROM queue_message WHERE next_attempt <= ? AND lease_until <= ? "
                            + "ORDER BY next_attempt, id LIMIT ?) RETURNING id",
                    rs -> rs.getLong(1), until, nowMs, nowMs, max);
            List<QueuedMessage> claimed = new ArrayList<>();
            for (QueuedMessage m : load(db, ids)) {
                // A worker that recorded every recipient but died before reschedule: retire it now.
                if (m.recipients().isEmpty()) db.update("DELETE FROM queue_message WHERE id = ?", m.id());
                else claimed.add(m);
            }
            claimed.sort(Comparator.comparing(QueuedMessage::nextAttempt).thenComparingLong(QueuedMessage::id));
            return claimed;
        });
    }

    @Override
    public void extendLeases(java.util.Collection<Long> messageIds, Instant until) {
        if (messageIds.isEmpty()) return;
        List<Long> ids = List.copyOf(messageIds);
        writer.submit(scope -> {
            for (long id : ids) {
                scope.db().update("UPDATE queue_message SET lease_until = ? WHERE id = ? AND lease_until > 0",
                        until.toEpochMilli(), id);
            }
            return null;
        });
    }

    /** An unknown recipient id (already done, e.g. by a worker whose lease had expired) is ignored. */
    @Override
    public void recordAttempt(long recipientId, boolean done, String error) {
        writer.submit(scope -> {
            if (done) scope.db().update("DELETE FROM queue_recipient WHERE id = ?", recipientId);
            else scope.db().update("UPDATE queue_recipient SET attempts = attempts + 1, last_error = ? WHERE id = ?",
                    error, recipientId);
            return null;
        });
    }

    @Override
    public void recordFailure(long recipientId, Optional<String> remoteHost, String status, String error) {
        writer.submit(scope -> scope.db().update("UPDATE queue_recipient SET attempts = attempts + 1, last_error = ?, "
                + "remote_host = ?, status = ? WHERE id = ?", error, remoteHost.orElse(null), status, recipientId));
    }

    @Override
    public void markDelayNotified(long messageId) {
        writer.submit(scope -> scope.db().update("UPDATE queue_message SET delay_notified = 1 WHERE id = ?", messageId));
    }

    @Override
    public Optional<QueuedMessage> find(long messageId) {
        return readers.read(db -> load(db, List.of(messageId))).stream().findFirst();
    }

    @Override
    public boolean retryNow(long messageId, Instant now) {
        return writer.submit(scope -> scope.db().update("UPDATE queue_message SET next_attempt = ? WHERE id = ?",
                now.toEpochMilli(), messageId)) > 0;
    }

    @Override
    public boolean requestBounce(long messageId, Instant now) {
        return writer.submit(scope -> scope.db().update("UPDATE queue_message SET next_attempt = ?, bounce_requested = 1 "
                + "WHERE id = ?", now.toEpochMilli(), messageId)) > 0;
    }

    /** The recipients go by ON DELETE CASCADE, the blob reference by the trigger. */
    @Override
    public boolean remove(long messageId) {
        return writer.submit(scope -> {
            scope.db().update("DELETE FROM queue_recipient WHERE message = ?", messageId);
            return scope.db().update("DELETE FROM queue_message WHERE id = ?", messageId);
        }) > 0;
    }

    @Override
    public Optional<Instant> nextDue() {
        return readers.read(db -> db.queryLong("SELECT min(max(next_attempt, lease_until)) FROM queue_message"))
                .map(Instant::ofEpochMilli);
    }

    @Override
    public void reschedule(long messageId, Instant nextAttempt) {
        writer.submit(scope -> {
            Db db = scope.db();
            db.update("UPDATE queue_message SET lease_until = 0, next_attempt = ? WHERE id = ?",
                    nextAttempt.toEpochMilli(), messageId);
            if (db.queryLong("SELECT 1 FROM queue_recipient WHERE message = ? LIMIT 1", messageId).isEmpty()) {
                db.update("DELETE FROM queue_message WHERE id = ?", messageId);   // trigger releases the blob
            }
            return null;
        });
    }

    @Override
    public List<QueuedMessage> list() {
        return readers.read(db -> load(db, db.query("SELECT id FROM queue_message ORDER BY created, id",
                rs -> rs.getLong(1))));
    }

    /** The messages with these ids and their recipients, in the order given. */
    private static List<QueuedMessage> load(Db db, List<Long> ids) {
        List<QueuedMessage> out = new ArrayList<>();
        for (long id : ids) {
            List<QueuedMessage.Recipient> rcpts = db.query("SELECT id, address, attempts, last_error, notify, orcpt, "
                            + "remote_host, status FROM queue_recipient WHERE message = ? ORDER BY id",
                    rs -> new QueuedMessage.Recipient(rs.getLong(1), rs.getString(2), rs.getInt(3),
                            rs.getString(4) == null ? "" : rs.getString(4),
                            Optional.ofNullable(rs.getString(5)).map(Notify::parse),
                            Optional.ofNullable(rs.getString(6)).map(OriginalRecipient::parse),
                            Optional.ofNullable(rs.getString(7)), Optional.ofNullable(rs.getString(8))), id);
            db.queryOne("SELECT " + MESSAGE_COLUMNS + " FROM queue_message WHERE id = ?",
                    rs -> {
                        byte[] prefix = rs.getBytes(4);
                        return new QueuedMessage(rs.getLong(1), rs.getString(2), rcpts, new BlobRef(rs.getString(3)),
                                prefix == null ? new byte[0] : prefix, rs.getLong(5), Instant.ofEpochMilli(rs.getLong(6)),
                                Instant.ofEpochMilli(rs.getLong(7)), rs.getInt(8), new Delivery.Options(
                                        Optional.ofNullable(rs.getString(9)).map(Ret::parse),
                                        Optional.ofNullable(rs.getString(10)).map(EnvelopeId::new),
                                        rs.getInt(11) != 0, rs.getInt(12) != 0),
                                rs.getInt(13) != 0, rs.getInt(14) != 0);
                    }, id).ifPresent(out::add);
        }
        return out;
    }
}
