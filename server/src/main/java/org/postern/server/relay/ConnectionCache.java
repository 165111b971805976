package org.postern.server.relay;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.postern.wire.smtp.client.SmtpClient;

/**
 * The relay's SMTP connections per destination, in use and idle: at most {@link #perDestination} of them open to
 * one destination at once, and a session that finished its work and is still good waits here a little while for
 * the next message to the same destination instead of being closed (the "several messages for the same
 * host reuse the connection", across the relay's batches as well as within one).
 *
 * <p>Implementation notes:
 * <ul>
 * <li>A {@link Slot} is the right to one connection: {@link #acquire} hands out an idle session (the most recently
 *     parked, so the older ones reach their idle limit and close) or room to open one, and blocks while the
 *     destination has its maximum open and none idle. The idle sessions count against the maximum: a receiver
 *     sees no more connections from us than it did before there was a cache.</li>
 * <li>{@link Slot#release} parks a session that is still usable and {@link #fresh}, and closes any other one.</li>
 * <li>The caller checks a cached session with RSET ({@link SmtpClient#reset()}) before using it: the server may
 *     have closed it meanwhile, and a message must not be deferred for that.</li>
 * <li>Times are the monotonic clock's ({@code nanoTime}), not the queue's: they measure connections, not the
 *     schedule; tests pass their own.</li>
 * </ul>
 * Thread-safe. Sessions are closed (QUIT) outside the lock.
 */
final class ConnectionCache implements AutoCloseable {
    /**
     * Transactions on one connection before it is closed and another opened. Some receivers limit messages per
     * connection (Exchange receive connectors default to 20 and then refuse with 4xx, which defers the message that
     * met it; Postfix itself reuses without a count limit); a bound also spreads long runs over the MX addresses as
     * DNS changes. 100 keeps the set-up cost (TCP, EHLO, STARTTLS) under 1 % of the transactions.
     */
    static final int MAX_MESSAGES_PER_CONNECTION = 100;
    /**
     * How long one connection is used at most, however few its messages: Postfix's
     * {@code smtp_connection_reuse_time_limit} (300 s), so a connection to an MX host that DNS no longer names, or
     * one a load balancer pinned to a sick node, does not live for ever.
     */
    static final Duration MAX_CONNECTION_AGE = Duration.ofMinutes(5);
    /**
     * How long an idle session waits for the next message before it is closed: Postfix's
     * {@code smtp_connection_cache_time_limit} (2 s). Long enough to carry a steady stream of messages over one
     * connection, short enough that we do not hold a receiver's connection slot (RFC 5321 §4.5.3.2.7 lets the
     * server wait 5 minutes for us; busy servers close idle clients much sooner).
     */
    static final Duration IDLE_CLOSE = Duration.ofSeconds(2);

    /** A session and when it was opened. */
    record Session(SmtpClient client, long openedNanos) {}

    private record Idle(Session session, long sinceNanos) {}

    /** One destination's connections. */
    private static final class Pool {
        /** Connections in use (slots handed out and not yet released); the idle ones are {@link #idle}. */
        int busy;
        /** Threads waiting in {@link #acquire}. */
        int waiting;
        final Deque<Idle> idle = new ArrayDeque<>();
        final Condition freed;

        Pool(Condition freed) {
            this.freed = freed;
        }

        /** Open connections, in use or idle: what the per-destination limit counts. */
        int open() {
            return busy + idle.size();
        }
    }

    private final int perDestination;
    private final LongSupplier nanoTime;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Pool> pools = new HashMap<>();
    private boolean closed;

    /** {@code perDestination}: connections to one destination at once; {@code nanoTime}: the monotonic clock. */
    ConnectionCache(int perDestination, LongSupplier nanoTime) {
        if (perDestination < 1) throw new IllegalArgumentException("perDestination " + perDestination);
        this.perDestination = perDestination;
        this.nanoTime = nanoTime;
    }

    ConnectionCache(int perDestination) {
        this(perDestination, System::nanoTime);
    }

    /** The right to one connection to {@code destination}; waits while it has its maximum open and none idle. */
    Slot acquire(String destination) {
        List<Session> stale = new ArrayList<>();
        Slot slot = null;
        lock.lock();
        try {
            Pool p = pools.computeIfAbsent(destination, k -> new Pool(lock.newCondition()));
            p.waiting++;
            try {
                while (slot == null) {
                    long now = nanoTime.getAsLong();
                    while (slot == null && !p.idle.isEmpty()) {
                        Idle i = p.idle.removeLast();
                        if (now - i.sinceNanos() <= IDLE_CLOSE.toNanos() && fresh(i.session())) {
                            p.busy++;
                            slot = new Slot(destination, Optional.of(i.session()));
                        } else {
                            stale.add(i.session());
                        }
                    }
                    if (slot == null && p.open() < perDestination) {
                        p.busy++;
                        slot = new Slot(destination, Optional.empty());
                    } else if (slot == null) {
                        p.freed.awaitUninterruptibly();
                    }
                }
            } finally {
                p.waiting--;
            }
        } finally {
            lock.unlock();
        }
        closeAll(stale);
        return slot;
    }

    /** A session just opened. */
    Session opened(SmtpClient client) {
        return new Session(client, nanoTime.getAsLong());
    }

    /** Whether the session may take another transaction: usable, and under the bounds on messages and age. */
    boolean fresh(Session s) {
        return s.client().reusable() && s.client().transactions() < MAX_MESSAGES_PER_CONNECTION
                && nanoTime.getAsLong() - s.openedNanos() < MAX_CONNECTION_AGE.toNanos();
    }

    /**
     * Closes the sessions idle longer than {@link #IDLE_CLOSE}; their QUITs run on {@code closer}. The relay loop
     * passes a virtual thread, as it must not wait for a slow server's goodbye
     * ({@link org.postern.wire.smtp.client.ClientLimits#MAX_QUIT_WAIT}); tests pass {@code Runnable::run}.
     */
    void closeIdle(Executor closer) {
        List<Session> expired = new ArrayList<>();
        lock.lock();
        try {
            long now = nanoTime.getAsLong();
            for (Iterator<Map.Entry<String, Pool>> it = pools.entrySet().iterator(); it.hasNext(); ) {
                Pool p = it.next().getValue();
                for (Iterator<Idle> i = p.idle.iterator(); i.hasNext(); ) {
                    Idle idle = i.next();
                    if (now - idle.sinceNanos() > IDLE_CLOSE.toNanos()) {
                        i.remove();
                        expired.add(idle.session());
                        p.freed.signal();
                    }
                }
                if (p.open() == 0 && p.waiting == 0) it.remove();
            }
        } finally {
            lock.unlock();
        }
        if (!expired.isEmpty()) closer.execute(() -> closeAll(expired));
    }

    /** Idle sessions now, over all destinations (for tests and the log). */
    int idleCount() {
        lock.lock();
        try {
            return pools.values().stream().mapToInt(p -> p.idle.size()).sum();
        } finally {
            lock.unlock();
        }
    }

    /** Closes the idle sessions; sessions released from now on are closed, not parked. */
    @Override
    public void close() {
        List<Session> all = new ArrayList<>();
        lock.lock();
        try {
            closed = true;
            for (Pool p : pools.values()) {
                for (Idle i : p.idle) all.add(i.session());
                p.idle.clear();
                p.freed.signalAll();
            }
        } finally {
            lock.unlock();
        }
        closeAll(all);
    }

    private static void closeAll(List<Session> sessions) {
        for (Session s : sessions) s.client().close();   // QUIT when the stream is in step (RFC 5321 §4.1.1.10)
    }

    /** The right to one connection to a destination, with the idle session it comes with, if any. */
    final class Slot {
        private final String destination;
        private final Optional<Session> cached;
        private boolean released;

        private Slot(String destination, Optional<Session> cached) {
            this.destination = destination;
            this.cached = cached;
        }

        /** An idle session to use first (check it with {@link SmtpClient#reset()}), or empty: open one. */
        Optional<Session> cached() {
            return cached;
        }

        /**
         * Gives the slot back: {@code keep}, when present, is parked if it is still {@link #fresh} (and the cache
         * is open), else closed; either way the slot is free again for another thread.
         */
        void release(Optional<Session> keep) {
            if (released) throw new IllegalStateException("slot released twice");
            released = true;
            boolean park = false;
            lock.lock();
            try {
                Pool p = pools.get(destination);
                park = keep.isPresent() && !closed && fresh(keep.get());
                p.busy--;
                if (park) p.idle.addLast(new Idle(keep.get(), nanoTime.getAsLong()));
                p.freed.signal();
            } finally {
                lock.unlock();
            }
            if (!park) keep.ifPresent(s -> s.client().close());
        }
    }
}
