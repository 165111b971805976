package org.postern.server.store.sqlite;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import org.postern.server.store.AccountId;
import org.postern.server.store.Change;
import org.postern.server.store.Subscription;

/**
 * In-process subscribers to committed changes. Each subscriber has its own queue and virtual thread, so a slow
 * one (an IDLE session writing to a slow client) delays only itself: the writer just enqueues.
 */
final class Subscribers implements AutoCloseable {
    private static final Logger log = System.getLogger(Subscribers.class.getName());
    private static final Object STOP = new Object();

    private final Map<Long, List<Subscriber>> byAccount = new ConcurrentHashMap<>();

    Subscription add(AccountId account, Consumer<Change> listener) {
        Subscriber s = new Subscriber(account.value(), listener);
        byAccount.compute(account.value(), (a, subs) -> {
            List<Subscriber> list = subs == null ? new CopyOnWriteArrayList<>() : subs;
            list.add(s);
            return list;
        });
        s.thread = Thread.ofVirtual().name("store-subscriber-" + account.value()).start(s::run);
        return s;
    }

    /** Enqueues committed changes, in commit order; called by the writer after COMMIT. Never blocks. */
    void publish(List<WriteScope.Recorded> changes) {
        for (WriteScope.Recorded r : changes) {
            List<Subscriber> subs = byAccount.get(r.account());
            if (subs == null) continue;
            for (Subscriber s : subs) s.queue.add(r.change());
        }
    }

    @Override
    public void close() {
        for (List<Subscriber> subs : byAccount.values()) {
            for (Subscriber s : subs) s.close();
        }
    }

    private final class Subscriber implements Subscription {
        final long account;
        final Consumer<Change> listener;
        // todo: bound it; today a subscriber that never returns keeps every later change of its account in memory
        final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        volatile boolean closed;
        Thread thread;

        Subscriber(long account, Consumer<Change> listener) {
            this.account = account;
            this.listener = listener;
        }

        void run() {
            while (!closed) {
                Object next;
                try {
                    next = queue.take();
                } catch (InterruptedException e) {
                    return;
                }
                if (next == STOP || closed) return;
                try {
                    listener.accept((Change) next);
                } catch (RuntimeException e) {
                    log.log(Level.WARNING, "store subscriber of account#" + account + " failed", e);
                }
            }
        }

        /** Stops delivery; a call in progress finishes. No interrupt: it would close a socket the listener writes. */
        @Override
        public void close() {
            if (closed) return;
            closed = true;
            byAccount.computeIfPresent(account, (a, subs) -> {
                subs.remove(this);
                return subs.isEmpty() ? null : subs;
            });
            queue.add(STOP);
        }
    }
}
