package org.postern.server.store.sqlite;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.postern.server.queue.QueueStore;
import org.postern.server.store.AccountId;
import org.postern.server.store.BlobRef;
import org.postern.server.store.Change;
import org.postern.server.store.Delivery;
import org.postern.server.store.MailStore;
import org.postern.server.store.Mailbox;
import org.postern.server.store.MailboxId;
import org.postern.server.store.MailboxName;
import org.postern.server.store.MessageContent;
import org.postern.server.store.MessageMeta;
import org.postern.server.store.ReadTx;
import org.postern.server.store.Subscription;
import org.postern.server.store.WriteTx;
import org.postern.server.store.files.FileBlobStore;

/**
 * The embedded store: every account's mailboxes, messages and changes, and the outbound queue, in one SQLite
 * file {@code <dataDir>/mail.db} (the delivery agent's commit spans several accounts and the queue in one
 * transaction), bodies up to {@link SqliteBlobStore#INLINE_MAX_BYTES} in it too, larger ones in
 * {@code <dataDir>/blobs} ({@link SqliteBlobStore}, {@link FileBlobStore}). See the package overview.
 */
public final class SqliteMailStore implements MailStore {
    /** The database file in the data directory. */
    public static final String FILE = "mail.db";

    private final FileBlobStore files;
    private final SqliteBlobStore blobs;
    private final Db writerDb;
    private final Writer writer;
    private final ReaderPool readers;
    private final Subscribers subscribers = new Subscribers();
    private final Indexer indexer = new Indexer();
    private final UidLists uidLists = new UidLists();
    private final MessageRows messageRows = new MessageRows();
    private final SqliteQueueStore queue;
    private boolean closed;

    private SqliteMailStore(FileBlobStore files, Db writerDb, Path file, Clock clock) {
        this.files = files;
        this.writerDb = writerDb;
        this.readers = new ReaderPool(file);   // first: if it fails, no writer thread is left running
        this.blobs = new SqliteBlobStore(files, readers, clock);
        indexer.foregroundFrom(readers::lastUse);
        this.writer = new Writer(writerDb, clock, blobs, indexer, subscribers::publish);
        blobs.attach(writer);
        this.queue = new SqliteQueueStore(writer, readers);
    }

    /** Opens (creating if needed) the store in {@code dataDir} and brings its schema up to date. */
    public static SqliteMailStore open(Path dataDir) {
        return open(dataDir, Clock.systemUTC());
    }

    /** As {@link #open(Path)}, with the clock that stamps queue entries and seeds UIDVALIDITY. */
    public static SqliteMailStore open(Path dataDir, Clock clock) {
        FileBlobStore blobs;
        try {
            Files.createDirectories(dataDir);
            blobs = FileBlobStore.open(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + dataDir, e);
        }
        Path file = dataDir.resolve(FILE);
        Db db = Db.open(file, false);
        try {
            Migrations.migrate(db);
            return new SqliteMailStore(blobs, db, file, clock);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    @Override
    public <T> T read(AccountId account, Function<ReadTx, T> work) {
        return readers.read(db -> work.apply(new SqliteReadTx(db, account, uidLists, messageRows)));
    }

    /** Runs in the next group commit; keep {@code work} short and free of I/O: every other writer waits for it. */
    @Override
    public <T> T write(AccountId account, Function<WriteTx, T> work) {
        return writer.submit(scope -> work.apply(new SqliteWriteTx(scope, account)));
    }

    /** Creates the default mailboxes (subscribed) when the account has no mailbox at all. */
    @Override
    public void ensureAccount(AccountId account) {
        writer.submit(scope -> {
            ensureDefaults(new SqliteWriteTx(scope, account));
            return null;
        });
    }

    private static void ensureDefaults(SqliteWriteTx tx) {
        tx.scope().ensureAccountRow(tx.account().value());
        if (!tx.mailboxes().isEmpty()) return;
        for (DefaultMailbox d : DEFAULT_MAILBOXES) {
            tx.createMailbox(d.name(), d.use());
            tx.setSubscribed(d.name(), true);
        }
    }

    /**
     * Removes the account's mailboxes, messages, subscriptions and change history; their blobs go with the last
     * reference. The counter row stays, so an account id used again never repeats a UIDVALIDITY or MODSEQ.
     * Nothing is published: the account's sessions are ended by whoever deleted the account.
     */
    @Override
    public void deleteAccount(AccountId account) {
        long id = account.value();
        writer.submit(scope -> {
            Db db = scope.db();
            db.update("DELETE FROM message WHERE mailbox IN (SELECT id FROM mailbox WHERE account = ?)", id);
            db.update("DELETE FROM mailbox WHERE account = ?", id);
            db.update("DELETE FROM subscription WHERE account = ?", id);
            db.update("DELETE FROM change WHERE account = ?", id);
            return null;
        });
    }

    /**
     * One unit: the message appended to each local account's INBOX (an account with no mailbox yet gets its
     * defaults first), and the outbound queue entry, due now, sharing the same body blob. Either all of it
     * commits or none of it.
     */
    @Override
    public Delivery.Receipt deliver(Delivery delivery) {
        delivery.outbound().ifPresent(o -> {
            if (o.recipients().isEmpty()) throw new IllegalArgumentException("outbound entry without recipients");
        });
        Delivery.Receipt receipt = writer.submit(scope -> {
            List<MessageMeta> appended = new ArrayList<>();
            for (AccountId account : delivery.localAccounts()) {
                SqliteWriteTx tx = new SqliteWriteTx(scope, account);
                Optional<Mailbox> inbox = tx.inbox();
                if (inbox.isEmpty()) {
                    ensureDefaults(tx);
                    inbox = tx.inbox();
                    if (inbox.isEmpty()) inbox = Optional.of(tx.createMailbox(MailboxName.INBOX, java.util.Set.of()));
                }
                appended.add(tx.append(inbox.get().id(), delivery.local()));
            }
            Optional<Long> queued = delivery.outbound()
                    .map(o -> SqliteQueueStore.insert(scope, o, delivery.local().body()));
            return new Delivery.Receipt(appended, queued);
        });
        if (receipt.queueId().isPresent()) queue.queued();   // after the commit: the relay may look now
        return receipt;
    }

    @Override
    public SqliteBlobStore blobs() {
        return blobs;
    }

    @Override
    public QueueStore queue() {
        return queue;
    }

    @Override
    public InputStream open(MessageContent content) throws IOException {
        return new SequenceInputStream(new ByteArrayInputStream(content.prefix()), blobs.open(content.body()));
    }

    /** A message row with its body: {@code inline} holds the bytes of a body kept in mail.db, else it is null. */
    private record Stored(long uid, byte[] prefix, BlobRef body, byte[] inline) {
        byte[] whole() {
            byte[] all = java.util.Arrays.copyOf(prefix, prefix.length + inline.length);
            System.arraycopy(inline, 0, all, prefix.length, inline.length);
            return all;
        }
    }

    /** The rows of {@code box} with UIDs in {@code first..last}, in UID order, at most {@code limit}; one read. */
    private List<Stored> stored(AccountId account, MailboxId box, long first, long last, int limit, boolean inlineOnly) {
        return readers.read(db -> db.query("SELECT x.uid, x.prefix, x.blob, b.data FROM message x "
                        + "JOIN mailbox m ON m.id = x.mailbox JOIN blob b ON b.id = x.blob "
                        + "WHERE x.mailbox = ? AND m.account = ? AND x.uid BETWEEN ? AND ?"
                        + (inlineOnly ? " AND b.data IS NOT NULL" : "") + " ORDER BY x.uid LIMIT ?",
                rs -> new Stored(rs.getLong(1), rs.getBytes(2) == null ? new byte[0] : rs.getBytes(2),
                        new BlobRef(rs.getString(3)), rs.getBytes(4)),
                box.value(), account.value(), first, last, limit));
    }

    /** One query over a UID range: message rows joined with their inline bodies (file bodies are left out). */
    @Override
    public java.util.SortedMap<Long, byte[]> readAhead(AccountId account, MailboxId box, long first, long last, int maxMessages,
                                                       long maxBytes) {
        java.util.SortedMap<Long, byte[]> out = new java.util.TreeMap<>();
        long total = 0;
        for (Stored r : stored(account, box, first, last, maxMessages, true)) {
            byte[] bytes = r.whole();
            if (!out.isEmpty() && total + bytes.length > maxBytes) break;
            out.put(r.uid(), bytes);
            total += bytes.length;
        }
        return out;
    }

    /** One read transaction: the message row and, for an inline body, its bytes (a file body is opened after). */
    @Override
    public Optional<InputStream> openMessage(AccountId account, MailboxId box, long uid) throws IOException {
        List<Stored> rows = stored(account, box, uid, uid, 1, false);
        if (rows.isEmpty()) return Optional.empty();
        Stored row = rows.getFirst();
        InputStream body = row.inline() != null ? new ByteArrayInputStream(row.inline()) : blobs.openFile(row.body());
        return Optional.of(new SequenceInputStream(new ByteArrayInputStream(row.prefix()), body));
    }

    /**
     * Changes arrive after commit, in commit order, on the subscription's own virtual thread. Every change
     * committed after this returns is delivered; one committing while it runs may be too, so a listener that
     * also reads state ignores changes at or below the MODSEQ it read.
     */
    @Override
    public Subscription subscribe(AccountId account, Consumer<Change> listener) {
        return subscribers.add(account, listener);
    }

    /**
     * Deletes blob files (inline bodies are never files) that no row references and that were last written more than {@code minAge} ago: a
     * crash between a blob's fsync and the commit that would have referenced it, a failed delivery, or a crash
     * between a commit and the file deletion that follows it. The age keeps it clear of blobs whose commit is
     * still coming. Returns how many files it deleted.
     */
    public int sweepOrphans(Duration minAge) {
        List<BlobRef> candidates = new ArrayList<>();
        int[] deleted = {0};
        try {
            files.forEachOlderThan(Instant.now().minus(minAge), ref -> {
                candidates.add(ref);
                if (candidates.size() >= 500) deleted[0] += deleteUnreferenced(candidates);
            });
            deleted[0] += deleteUnreferenced(candidates);
        } catch (IOException e) {
            throw new UncheckedIOException("orphan sweep of " + files + " failed", e);
        }
        return deleted[0];
    }

    private int deleteUnreferenced(List<BlobRef> candidates) {
        List<BlobRef> orphans = readers.read(db -> candidates.stream()
                .filter(ref -> db.queryLong("SELECT 1 FROM blob WHERE id = ?", ref.id()).isEmpty())
                .toList());
        candidates.clear();
        for (BlobRef ref : orphans) {
            try {
                files.delete(ref);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return orphans.size();
    }

    /** Transactions committed since open: with group commit, fewer than the writes submitted under load. */
    public long commits() {
        return writer.commits();
    }

    /** Tests: how often the writer waited for rest before an index step. */
    long restWaits() {
        return writer.restWaits();
    }

    /** Tests: stop or resume the search indexer (searches work either way). */
    void pauseIndexing(boolean pause) {
        indexer.pause(pause);
        if (!pause) writer.submit(scope -> null);   // wakes the writer, which then finds the backlog
    }

    /** Stored search texts not in the index yet. */
    long unindexed() {
        return readers.inspect(db -> db.queryLong("SELECT count(*) FROM blob_text WHERE indexed = 0").orElse(0L));
    }

    /** Writes waiting for the writer (tests use it to make group commit deterministic). */
    int queuedWrites() {
        return writer.queued();
    }

    /** Waits for every write already submitted to commit, then closes; later calls fail with StoreException. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        writer.close();
        subscribers.close();
        readers.close();
        writerDb.close();
    }
}
