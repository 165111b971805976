package org.postern.server.store.sqlite;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import org.postern.server.store.BlobRef;
import org.postern.server.store.StoreException;

/**
 * The one writer of mail.db, with group commit.
 *
 * <p>Callers hand a unit of work to {@link #submit} and wait. The writer thread takes every unit queued so far
 * (up to {@link #MAX_BATCH}) and runs them in one {@code BEGIN IMMEDIATE … COMMIT}, each inside its own
 * SAVEPOINT: a unit that throws is rolled back to its savepoint alone and its exception goes to its caller,
 * the others commit. Every caller is completed only after COMMIT returned (synchronous=FULL: durable), so
 * under load N callers share one fsync instead of paying N.
 *
 * <p>After commit, in this order: blob rows whose reference count reached zero (collected just before COMMIT)
 * have their files deleted; the recorded Changes are handed to the subscribers, which only enqueues them (the
 * writer never runs subscriber code); then the callers are completed. Enqueueing before completing means a
 * subscription opened after a write returned never receives that write's changes.
 *
 * <p>When no unit waits, the writer indexes search text in bulk steps ({@link Indexer}).
 *
 * <p>A platform thread: sqlite-jdbc is JNI and would pin a virtual thread's carrier for the whole batch.
 */
final class Writer implements AutoCloseable {
    /** Most units in one transaction: bounds how long one COMMIT keeps other processes' writers waiting. */
    static final int MAX_BATCH = 256;

    private static final Logger log = System.getLogger(Writer.class.getName());

    private final Db db;
    private final Clock clock;
    private final SqliteBlobStore blobs;
    private final Consumer<List<WriteScope.Recorded>> publish;
    private final Indexer indexer;
    private final LinkedBlockingQueue<Unit<?>> queue = new LinkedBlockingQueue<>();
    private final ReentrantLock submitLock = new ReentrantLock();
    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong restWaits = new AtomicLong();
    private boolean resting;   // writer thread only: no unit and no read since the rest that began the current index steps
    private final Thread thread;
    private boolean closed;   // guarded by submitLock

    Writer(Db db, Clock clock, SqliteBlobStore blobs, Indexer indexer, Consumer<List<WriteScope.Recorded>> publish) {
        this.db = db;
        this.clock = clock;
        this.blobs = blobs;
        this.indexer = indexer;
        this.publish = publish;
        this.thread = Thread.ofPlatform().name("mail.db-writer").daemon(true).start(this::run);
    }

    /** Runs {@code work} in the next group commit; returns once it is durable, or throws what it threw. */
    <T> T submit(Function<WriteScope, T> work) {
        if (Thread.currentThread() == thread) {
            throw new IllegalStateException("a store write cannot start another write (it would wait for itself)");
        }
        Unit<T> unit = new Unit<>(work);
        submitLock.lock();
        try {
            if (closed) throw new StoreException("the mail store is closed");
            queue.add(unit);
        } finally {
            submitLock.unlock();
        }
        try {
            return unit.done.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            // The exception was made on the writer thread; add where the write came from.
            cause.addSuppressed(new StoreException("store write submitted here"));
            if (cause instanceof RuntimeException r) throw r;
            if (cause instanceof Error err) throw err;
            throw new StoreException("store write failed", cause);
        }
    }

    /** How many transactions have committed since open (the group-commit ratio is units / commits). */
    long commits() {
        return commits.get();
    }

    /** Units waiting for the writer (tests make batching deterministic with it). */
    int queued() {
        return queue.size();
    }

    /** Refuses new units, waits until every unit already submitted has committed or failed, then stops. */
    @Override
    public void close() {
        submitLock.lock();
        try {
            if (closed) return;
            closed = true;
            queue.add(Unit.STOP);   // the last unit ever queued
        } finally {
            submitLock.unlock();
        }
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    private void run() {
        List<Unit<?>> batch = new ArrayList<>();
        while (true) {
            batch.clear();
            Unit<?> first;
            try {
                first = next();
            } catch (InterruptedException e) {
                continue;   // nobody interrupts the writer; STOP ends it
            }
            if (first == null) {
                indexStep();   // callers never wait behind more than one step
                continue;
            }
            batch.add(first);
            queue.drainTo(batch, MAX_BATCH - 1);
            boolean stop = batch.getLast() == Unit.STOP;
            if (stop) batch.removeLast();
            if (!batch.isEmpty()) {
                try {
                    runBatch(batch);
                } catch (RuntimeException | Error e) {
                    // our bug: never leave callers waiting forever, and keep the writer alive
                    log.log(Level.ERROR, "store writer failed", e);
                    for (Unit<?> u : batch) {
                        if (!u.done.isDone()) u.done.completeExceptionally(e);
                    }
                }
            }
            if (stop) return;
        }
    }

    /** The next unit, or null when it is time for an index step (see {@link Indexer} for when). */
    private Unit<?> next() throws InterruptedException {
        Unit<?> first = queue.poll();
        if (first != null) return atWork(first);
        if (indexer.bulkReady()) return null;
        if (!indexer.pending()) return atWork(queue.take());
        // At rest since the last step (no unit came, no session read): the next step goes at once. Waiting
        // IDLE again before every step indexed one step (~64 messages) per second: 10,000 messages took minutes.
        if (resting && indexer.foregroundWait() == 0) return null;
        restWaits.incrementAndGet();
        Unit<?> unit = queue.poll(Indexer.IDLE.toMillis(), TimeUnit.MILLISECONDS);
        if (unit != null) return atWork(unit);
        // writes have rested; sessions reading mail count as activity too (Indexer.foregroundFrom)
        for (long wait; (wait = indexer.foregroundWait()) > 0; ) {
            unit = queue.poll(wait, TimeUnit.NANOSECONDS);
            if (unit != null) return atWork(unit);
            if (indexer.bulkReady()) return null;
        }
        resting = true;
        return null;
    }

    private Unit<?> atWork(Unit<?> unit) {
        resting = false;
        return unit;
    }

    /** Tests: how often the writer waited {@link Indexer#IDLE} for rest before indexing. */
    long restWaits() {
        return restWaits.get();
    }

    private void runBatch(List<Unit<?>> batch) {
        List<BlobRef> garbage;
        try {
            db.control("BEGIN IMMEDIATE");
        } catch (RuntimeException e) {
            for (Unit<?> u : batch) u.failure = new StoreException("cannot start a store transaction: " + e.getMessage(), e);
            complete(batch);
            return;
        }
        try {
            for (Unit<?> u : batch) runUnit(u);
            garbage = db.query("DELETE FROM blob WHERE refs = 0 RETURNING id", rs -> new BlobRef(rs.getString(1)));
            db.control("COMMIT");
            commits.incrementAndGet();
        } catch (RuntimeException | Error e) {
            // The transaction as a whole failed (COMMIT, a savepoint, the connection): nothing of it committed.
            rollbackQuietly();
            for (Unit<?> u : batch) u.failure = new StoreException("store transaction failed: " + e.getMessage(), e);
            complete(batch);
            return;
        }
        for (Unit<?> u : batch) {
            if (u.scope != null) blobs.committed(u.scope.inlined());   // their bytes are in committed rows now
        }
        for (BlobRef ref : garbage) {
            try {
                blobs.released(ref);
            } catch (IOException e) {
                log.log(Level.WARNING, "cannot delete unreferenced blob " + ref.id() + " (the orphan sweep will): " + e);
            }
        }
        // Publish (enqueue only) before completing the callers: a subscription opened after a write returned
        // then never receives that write's changes.
        List<WriteScope.Recorded> changes = new ArrayList<>();
        for (Unit<?> u : batch) {
            if (u.scope == null) continue;
            changes.addAll(u.scope.changes());
            if (u.scope.textRows() > 0) indexer.textAdded(u.scope.textRows());
        }
        if (!changes.isEmpty()) {
            try {
                publish.accept(changes);
            } catch (RuntimeException e) {
                log.log(Level.ERROR, "publishing committed changes failed", e);
            }
        }
        complete(batch);
    }

    /** One bulk indexing transaction (see {@link Indexer}); not counted in {@link #commits()}. */
    private void indexStep() {
        try {
            db.control("BEGIN IMMEDIATE");
            try {
                indexer.step(db);
                db.control("COMMIT");
            } catch (RuntimeException e) {
                rollbackQuietly();
                throw e;
            }
        } catch (RuntimeException e) {
            log.log(Level.WARNING, "search indexing step failed; searches scan the waiting text meanwhile", e);
            indexer.failed();
        }
    }

    private <T> void runUnit(Unit<T> unit) {
        WriteScope scope = new WriteScope(db, clock, blobs);
        db.control("SAVEPOINT unit");
        try {
            unit.result = unit.work.apply(scope);
            scope.finish();
            db.control("RELEASE unit");
            unit.scope = scope;
        } catch (RuntimeException e) {
            db.control("ROLLBACK TO unit");   // if this fails, the whole batch fails (caller of runUnit)
            db.control("RELEASE unit");
            unit.failure = e;
        }
    }

    private void complete(List<Unit<?>> batch) {
        for (Unit<?> u : batch) u.complete();
    }

    private void rollbackQuietly() {
        try {
            db.control("ROLLBACK");
        } catch (RuntimeException e) {
            log.log(Level.DEBUG, "rollback after a failed batch: " + e.getMessage());
        }
    }

    /** One caller's work, its outcome, and what it recorded. */
    private static final class Unit<T> {
        static final Unit<Object> STOP = new Unit<>(scope -> null);

        final Function<WriteScope, T> work;
        final CompletableFuture<T> done = new CompletableFuture<>();
        T result;
        Throwable failure;
        WriteScope scope;   // set when the unit's savepoint was released

        Unit(Function<WriteScope, T> work) {
            this.work = work;
        }

        void complete() {
            if (failure != null) done.completeExceptionally(failure);
            else done.complete(result);
        }
    }
}
