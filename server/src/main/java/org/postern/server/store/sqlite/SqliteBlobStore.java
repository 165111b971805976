package org.postern.server.store.sqlite;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.postern.server.store.BlobRef;
import org.postern.server.store.BlobStore;
import org.postern.server.store.files.FileBlobStore;

/**
 * The bodies of {@link SqliteMailStore}: a body of at most {@link #INLINE_MAX_BYTES} lives in mail.db
 * ({@code blob.data}), a larger one is a file ({@link FileBlobStore}).
 *
 * <p>An inline body costs no fsync of its own. {@link Pending#commit()} only <em>stages</em> it in memory; the
 * write transaction that inserts the first row referencing it (a message or a queue entry; the triggers create
 * the {@code blob} row) stores the bytes in that row, and after COMMIT the staged copy is dropped. So an inline
 * body is durable exactly when a committed transaction references it, which is when SMTP answers 250; one that
 * nothing references is gone after a crash, which is right, as nothing was acknowledged. One the caller neither
 * references nor deletes (a session killed in between) is dropped after {@link #STAGED_MAX_AGE}.
 *
 * <p>Reads look at the staged copies first, then {@code blob.data}, then the file.
 */
public final class SqliteBlobStore implements BlobStore {
    /**
     * Bodies up to this size are kept in mail.db. SQLite measured blobs below about 100 KB as faster to read and
     * write inside the database than as files (https://www.sqlite.org/intern-v-extern-blob.html), and an inline
     * body rides on the commit that references it instead of costing two fsyncs (file and directory) of its own;
     * typical mail (a few KB) is far below it. Also what one {@link Pending} holds in memory at most.
     */
    public static final int INLINE_MAX_BYTES = 128 * 1024;
    /**
     * A staged body that no transaction referenced and nobody deleted within this time is dropped: a delivery
     * commits within seconds of its body (DATA ends, the parse, one group commit), so it can only be a leak.
     */
    static final Duration STAGED_MAX_AGE = Duration.ofHours(1);
    /** Stale staged bodies are looked for at most this often (from {@link #begin()}). */
    static final Duration PRUNE_INTERVAL = Duration.ofMinutes(1);
    /** First buffer of a pending body; it doubles up to {@link #INLINE_MAX_BYTES}, so a 4 KB message stays small. */
    private static final int INITIAL_BUFFER_BYTES = 8 * 1024;
    private static final int COPY_BUFFER_BYTES = 64 * 1024;

    /** An inline body committed by its Pending and not yet in a committed row. */
    private record Staged(byte[] bytes, Instant at) {}

    private final FileBlobStore files;
    private final ReaderPool readers;
    private final Clock clock;
    private final ConcurrentHashMap<String, Staged> staged = new ConcurrentHashMap<>();
    private final AtomicReference<Instant> lastPrune;
    private volatile Writer writer;

    SqliteBlobStore(FileBlobStore files, ReaderPool readers, Clock clock) {
        this.files = files;
        this.readers = readers;
        this.clock = clock;
        this.lastPrune = new AtomicReference<>(clock.instant());
    }

    /** The writer, once it exists (it needs this store first); {@link #delete} of a committed inline body uses it. */
    void attach(Writer writer) {
        this.writer = writer;
    }

    @Override
    public Stored put(InputStream in, long maxBytes) throws IOException {
        try (Pending pending = begin()) {
            OutputStream out = pending.out();
            byte[] buffer = new byte[COPY_BUFFER_BYTES];
            long total = 0;
            for (int n; (n = in.read(buffer)) >= 0; ) {
                total += n;
                if (total > maxBytes) throw new TooLargeException(maxBytes);   // close() discards what was written
                out.write(buffer, 0, n);
            }
            return pending.commit();
        }
    }

    /** Buffers in memory up to {@link #INLINE_MAX_BYTES}; past that, spills to a file and streams on. */
    @Override
    public Pending begin() {
        pruneIfDue();
        return new InlinePending();
    }

    @Override
    public InputStream open(BlobRef ref) throws IOException {
        Optional<byte[]> inline = inline(ref);
        if (inline.isPresent()) return new ByteArrayInputStream(inline.get());
        return files.open(ref);
    }

    /** A body the caller has just read as not inline (its committed row's data is NULL): the file, no second lookup. */
    InputStream openFile(BlobRef ref) throws IOException {
        return files.open(ref);
    }

    @Override
    public long size(BlobRef ref) throws IOException {
        Staged s = staged.get(ref.id());
        if (s != null) return s.bytes().length;
        Optional<Long> inline = readers.read(db -> db.queryLong("SELECT length(data) FROM blob WHERE id = ?", ref.id()));
        if (inline.isPresent()) return inline.get();
        return files.size(ref);
    }

    /**
     * Deletes the body wherever it is: the staged copy, the file, or (a caller deleting a body that rows still
     * reference, which only an expunge racing a reader otherwise produces) the committed inline bytes, through
     * the writer. An unreferenced inline row needs nothing: it went with its last reference.
     */
    @Override
    public void delete(BlobRef ref) throws IOException {
        if (staged.remove(ref.id()) != null) return;   // inline ids name no file
        files.delete(ref);
        if (committedInline(ref)) {
            writer.submit(scope -> scope.db().update("UPDATE blob SET data = NULL WHERE id = ?", ref.id()));
        }
    }

    /** Deletes temp files left by a crash: only at startup, before anything writes blobs. */
    public int sweepTemp() throws IOException {
        return files.sweepTemp();
    }

    /** Whether the body is an inline body (staged or committed) rather than a file; for tests and tools. */
    public boolean isInline(BlobRef ref) {
        return staged.containsKey(ref.id()) || committedInline(ref);
    }

    private boolean committedInline(BlobRef ref) {
        return readers.read(db -> db.queryLong("SELECT 1 FROM blob WHERE id = ? AND data IS NOT NULL", ref.id()).isPresent());
    }

    /** The staged bytes of {@code ref}, for the writer to store in the row that now references it. */
    Optional<byte[]> staged(BlobRef ref) {
        Staged s = staged.get(ref.id());
        return s == null ? Optional.empty() : Optional.of(s.bytes());
    }

    /** After COMMIT: these inline bodies are in committed rows now, so their staged copies go. */
    void committed(Collection<BlobRef> refs) {
        for (BlobRef ref : refs) staged.remove(ref.id());
    }

    /** After COMMIT: the last reference to {@code ref} went (its row with any inline data too); the file goes. */
    void released(BlobRef ref) throws IOException {
        staged.remove(ref.id());
        files.delete(ref);
    }

    /** Staged bodies (tests). */
    int stagedCount() {
        return staged.size();
    }

    private Optional<byte[]> inline(BlobRef ref) {
        Optional<byte[]> s = staged(ref);
        if (s.isPresent()) return s;
        // at most INLINE_MAX_BYTES: reading it whole is bounded
        return readers.read(db -> db.queryOne("SELECT data FROM blob WHERE id = ?",
                rs -> Optional.ofNullable(rs.getBytes(1)), ref.id())).flatMap(d -> d);
    }

    private void pruneIfDue() {
        Instant now = clock.instant();
        Instant last = lastPrune.get();
        if (Duration.between(last, now).compareTo(PRUNE_INTERVAL) < 0 || !lastPrune.compareAndSet(last, now)) return;
        Instant cutoff = now.minus(STAGED_MAX_AGE);
        staged.values().removeIf(s -> s.at().isBefore(cutoff));
    }

    /** In memory until the body passes {@link #INLINE_MAX_BYTES}, then a {@link FileBlobStore} pending blob. */
    private final class InlinePending implements Pending {
        private final Spilling out = new Spilling();
        private byte[] buffer = new byte[INITIAL_BUFFER_BYTES];
        private int count;
        private Pending file;   // once spilled
        private boolean done;   // committed or discarded

        @Override
        public OutputStream out() {
            return out;
        }

        @Override
        public Stored commit() throws IOException {
            if (done) throw new IllegalStateException("blob already committed or discarded");
            Stored stored;
            if (file != null) {
                stored = file.commit();
            } else {
                BlobRef ref = files.newRef();
                staged.put(ref.id(), new Staged(Arrays.copyOf(buffer, count), clock.instant()));
                stored = new Stored(ref, count);
            }
            done = true;
            buffer = null;
            return stored;
        }

        @Override
        public void close() {
            if (file != null) file.close();   // deletes the temp file unless committed
            done = true;
            buffer = null;
        }

        private void write(byte[] b, int off, int len) throws IOException {
            if (done) throw new IOException("blob already committed or discarded");
            if (file == null && (long) count + len > INLINE_MAX_BYTES) spill();
            if (file != null) {
                file.out().write(b, off, len);
                return;
            }
            if (count + len > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.min(INLINE_MAX_BYTES, Math.max(buffer.length * 2, count + len)));
            }
            System.arraycopy(b, off, buffer, count, len);
            count += len;
        }

        /** Writes what was buffered to a new file blob; from now on every byte goes there. */
        private void spill() throws IOException {
            file = files.begin();
            file.out().write(buffer, 0, count);
            buffer = null;
        }

        /** The pending body's stream; close() only flushes, so a caller closing it can still commit. */
        private final class Spilling extends OutputStream {
            @Override
            public void write(int b) throws IOException {
                InlinePending.this.write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                java.util.Objects.checkFromIndexSize(off, len, b.length);
                InlinePending.this.write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
                if (file != null) file.out().flush();
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        }
    }
}
