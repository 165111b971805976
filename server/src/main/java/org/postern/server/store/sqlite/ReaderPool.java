package org.postern.server.store.sqlite;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.postern.server.store.StoreException;

/**
 * A few read-only connections (WAL readers see the last commit and never wait for the writer). A borrower
 * gets one connection for one read transaction; {@code BEGIN} … {@code ROLLBACK} makes its reads consistent.
 */
final class ReaderPool implements AutoCloseable {
    /**
     * Connections: native calls pin a virtual thread's carrier, so more readers than cores buy little;
     * a few cover a reader waiting on the disk while another computes.
     */
    static final int SIZE = 4;

    private final BlockingQueue<Db> idle = new ArrayBlockingQueue<>(SIZE);
    private final List<Db> all = new ArrayList<>();
    private volatile boolean closed;

    ReaderPool(Path file) {
        try {
            for (int i = 0; i < SIZE; i++) {
                Db db = Db.open(file, true);
                all.add(db);
                idle.add(db);
            }
        } catch (RuntimeException e) {
            all.forEach(Db::close);
            throw e;
        }
    }

    /** System.nanoTime() of the last read that began; 0 before the first (the Indexer waits for reads to rest). */
    long lastUse() {
        return lastUse;
    }

    private volatile long lastUse;

    <T> T read(Function<Db, T> work) {
        lastUse = System.nanoTime() | 1;
        return inspect(work);
    }

    /** A read that is not a session's work (statistics, tests): it does not hold the indexer back. */
    <T> T inspect(Function<Db, T> work) {
        if (closed) throw new StoreException("the mail store is closed");
        Db db;
        try {
            while ((db = idle.poll(100, TimeUnit.MILLISECONDS)) == null) {
                if (closed) throw new StoreException("the mail store is closed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for a database connection", e);
        }
        try {
            db.control("BEGIN");
            try {
                return work.apply(db);
            } finally {
                db.control("ROLLBACK");   // read-only: ending it is all there is to do
            }
        } finally {
            idle.add(db);
        }
    }

    /** Closes every connection once it is returned; a read in progress finishes first. */
    @Override
    public void close() {
        closed = true;
        for (int i = 0; i < all.size(); i++) {
            try {
                idle.take().close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
