package org.postern.wire.smtp.client;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A time limit on socket writes. A blocking {@code Socket} write has no timeout of its own: a server that stops
 * reading while we send DATA would hold us forever once the socket buffers fill. So each write is armed with
 * a deadline, and one virtual thread per connection (started at the first write) runs {@code onExpiry}, which
 * closes the socket and so ends the blocked write with an exception, when a write outlives it
 * (RFC 5321 §4.5.3.2.5: the data block timeout covers each send).
 */
final class WriteDeadline implements AutoCloseable {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Runnable onExpiry;
    private Thread watcher;
    private boolean armed, expired, closed;
    private long deadline;

    WriteDeadline(Runnable onExpiry) {
        this.onExpiry = onExpiry;
    }

    void arm(Duration timeout) {
        lock.lock();
        try {
            if (closed) return;
            deadline = System.nanoTime() + timeout.toNanos();
            armed = true;
            if (watcher == null) {
                watcher = Thread.ofVirtual().name("smtp-client-write-deadline").start(this::watch);
            } else {
                changed.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    void disarm() {
        lock.lock();
        try {
            armed = false;   // the watcher wakes at the old deadline, sees this and waits again
        } finally {
            lock.unlock();
        }
    }

    /** Whether a write timed out (the exception it ended with is then the socket closing under it). */
    boolean expired() {
        lock.lock();
        try {
            return expired;
        } finally {
            lock.unlock();
        }
    }

    private void watch() {
        lock.lock();
        try {
            while (!closed) {
                if (!armed) {
                    changed.await();
                    continue;
                }
                long left = deadline - System.nanoTime();
                if (left > 0) {
                    changed.await(left, TimeUnit.NANOSECONDS);
                    continue;
                }
                expired = true;
                armed = false;
                lock.unlock();
                try {
                    onExpiry.run();
                } finally {
                    lock.lock();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signal();
        } finally {
            lock.unlock();
        }
    }
}
