package org.postern.server.store.sqlite;

import java.util.List;

/**
 * Moves search text into the FTS5 trigram index, in bulk, when the writer has nothing else to do.
 *
 * <p>When: once the writer has been idle for {@link #IDLE}, or, under sustained load, once {@link #BULK_ROWS}
 * rows wait. Deliveries come first: while mail keeps arriving the index falls behind by up to
 * {@code BULK_ROWS} messages (whose search is a scan of their stored text, bounded by that count) and catches
 * up as soon as the writer rests.
 *
 * <p>Why not index in every gap between deliveries: on the SMTP benchmark (smtp-source, 4 KB, one session)
 * indexing in the gaps took half of the writer's CPU and held Postern at ~550 msgs/s; indexing only at rest
 * gave ~820 msgs/s on the same machine (2 cores shared with the load generator), measured 2026-11-26.
 *
 * <p>Why deferred: indexing a 4 KB message costs about 0.9 ms of writer time one at a time but 0.2–0.4 ms in
 * batches of a hundred or more (measured with sqlite-jdbc 3.50.3). Done inline, it made the single writer the
 * bottleneck (about 1,000 deliveries/s instead of 4,000–6,000 with 10–50 concurrent callers) and added to
 * every SMTP reply's latency. Deferred, a delivery only stores the text (a plain row, about 0.02 ms), and
 * searches scan the few rows not indexed yet, so results never depend on the indexer's progress.
 *
 * <p>Only the writer thread calls {@link #pending()} and {@link #step(Db)}: no locking needed but for the
 * tests' pause switch.
 */
final class Indexer {
    /**
     * Most search text per step (chars): one step delays a delivery arriving meanwhile by at most about this
     * much indexing (tens of milliseconds), and is big enough for bulk efficiency. At least one row always goes.
     */
    static final long MAX_STEP_CHARS = 256 * 1024;
    /** Most rows per step, whatever their size. */
    static final int MAX_STEP_ROWS = 256;
    /**
     * Backlog at which the indexer steps in even while units keep coming: a SEARCH scans the text of the rows
     * not indexed yet, and 20,000 messages of typical size (4 KB of text) is ~80 MB of text, a scan of about a
     * tenth of a second; beyond that the index must keep up, at the cost of delivery throughput.
     */
    static final int BULK_ROWS = 20_000;
    /**
     * How long the writer must find nothing to do before it indexes: long enough that the gaps between the
     * deliveries of a steady stream (milliseconds) do not count as rest, short enough that at rest new mail
     * is searchable through the index within about a second.
     */
    static final java.time.Duration IDLE = java.time.Duration.ofSeconds(1);

    private volatile java.util.function.LongSupplier lastForeground = () -> 0L;   // System.nanoTime(); 0 = never
    private boolean backlog = true;   // unknown at open: the first step finds out
    private long waiting;             // rows added since the last step that saw them all (an estimate)
    private volatile boolean paused;

    /**
     * Where to learn when a session last read the store ({@link ReaderPool#lastUse()}). Reads are foreground
     * work too: a POP3 or IMAP client downloading mail gets the CPU, and indexing waits until reads have also
     * rested for {@link #IDLE} (or the backlog reaches {@link #BULK_ROWS}). Measured on the POP3 benchmark:
     * indexing the mail just delivered ran beside the download and took the core the client needed.
     */
    void foregroundFrom(java.util.function.LongSupplier lastUse) {
        lastForeground = lastUse;
    }

    /** Nanoseconds until reads will have rested for {@link #IDLE}; 0 when they have. */
    long foregroundWait() {
        long last = lastForeground.getAsLong();
        if (last == 0) return 0;
        return Math.max(0, IDLE.toNanos() - (System.nanoTime() - last));
    }

    /** A committed unit stored search text for {@code rows} blobs. */
    void textAdded(int rows) {
        backlog = true;
        waiting += rows;
    }

    boolean pending() {
        return backlog && !paused;
    }

    /** Enough is waiting for an efficient step even while units keep arriving. */
    boolean bulkReady() {
        return pending() && waiting >= BULK_ROWS;
    }

    /** A step failed: wait for new text (or the next open) instead of retrying in a loop. */
    void failed() {
        backlog = false;
        waiting = 0;
    }

    /** Tests: stop or resume indexing, to exercise both search paths. */
    void pause(boolean pause) {
        paused = pause;
    }

    /** Indexes the oldest waiting rows, inside the writer's transaction. */
    void step(Db db) {
        record Row(long num, long chars) {}
        List<Row> waiting = db.query("SELECT num, length(headers) + length(body) FROM blob_text WHERE indexed = 0 "
                + "ORDER BY num LIMIT ?", rs -> new Row(rs.getLong(1), rs.getLong(2)), MAX_STEP_ROWS);
        if (waiting.isEmpty()) {
            backlog = false;
            this.waiting = 0;
            return;
        }
        long chars = 0;
        int take = 0;
        while (take < waiting.size() && (take == 0 || chars + waiting.get(take).chars() <= MAX_STEP_CHARS)) {
            chars += waiting.get(take).chars();
            take++;
        }
        long first = waiting.getFirst().num(), last = waiting.get(take - 1).num();
        db.update("INSERT INTO blob_fts (rowid, headers, body) SELECT num, headers, body FROM blob_text "
                + "WHERE indexed = 0 AND num BETWEEN ? AND ?", first, last);
        db.update("UPDATE blob_text SET indexed = 1 WHERE indexed = 0 AND num BETWEEN ? AND ?", first, last);
        this.waiting = Math.max(0, this.waiting - take);
        if (take == waiting.size() && waiting.size() < MAX_STEP_ROWS) {
            backlog = false;
            this.waiting = 0;
        }
    }
}
