package org.postern.server.store.sqlite;

import java.util.List;

/**
 * Moves search text into the FTS5 trigram index, in bulk, when the writer has nothing else to do.
 *
 * <p>When: as soon as {@link #BULK_ROWS} rows wait, or when the writer has been idle for {@link #IDLE}. Under
 * sustained load that keeps steps big (cheap per row); at rest the index catches up within {@code IDLE}.
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
     * Rows worth a step while units keep coming: below this, bulk indexing loses its edge (a step of a few rows
     * costs nearly what inline indexing did), so under load the indexer waits until this many are waiting.
     */
    static final int BULK_ROWS = 128;
    /** How long the writer must find nothing to do before it indexes a smaller backlog. */
    static final java.time.Duration IDLE = java.time.Duration.ofMillis(50);

    private boolean backlog = true;   // unknown at open: the first step finds out
    private long waiting;             // rows added since the last step that saw them all (an estimate)
    private volatile boolean paused;

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
