package org.postern.server.net;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The threads connections run on: a reused platform thread while fewer than {@link #PLATFORM_THREADS}
 * connections hold one, a new virtual thread for every connection beyond that. Sessions are the same
 * blocking, sequential code on either (DESIGN.md "Runtime choices").
 *
 * <p>Why not a virtual thread for every connection: each blocking read that finds no data parks the virtual
 * thread, and the poller then wakes a carrier to resume it. On the 2-core bench machine that hand-off made
 * an SMTP command's round trip 52 µs instead of 27 µs on a platform thread, and a one-message SMTP session
 * about 20% slower end to end (docs/decisions/0003-connection-threads.md). Virtual threads still serve every
 * connection past the pool, so a thousand idle IMAP IDLE clients cost no more than before.
 */
public final class ConnectionThreads {
    /**
     * Connections served on platform threads at once. Postfix's default_process_limit is 100 smtpd processes
     * in all; 64 covers the busy sessions of a small site's SMTP, POP3 and IMAP while each idle thread costs
     * only the stack it touched (tens of KiB).
     */
    public static final int PLATFORM_THREADS = 64;
    /** A pooled thread unused this long ends, so an idle server holds no pool. */
    static final Duration KEEP_ALIVE = Duration.ofSeconds(60);

    private static final AtomicLong workerIds = new AtomicLong();
    private static final ThreadPoolExecutor POOL = new ThreadPoolExecutor(0, PLATFORM_THREADS,
            KEEP_ALIVE.toMillis(), TimeUnit.MILLISECONDS, new SynchronousQueue<>(),
            r -> Thread.ofPlatform().daemon(true).name("conn-worker-" + workerIds.incrementAndGet()).unstarted(r));

    private ConnectionThreads() {}

    /**
     * Runs {@code task} on an idle pooled platform thread, or a new one while the pool has room, else on a new
     * virtual thread; the thread carries {@code name} while it runs the task. Never blocks.
     */
    public static void start(String name, Runnable task) {
        try {
            POOL.execute(() -> {
                Thread self = Thread.currentThread();
                String idle = self.getName();
                self.setName(name);
                try {
                    task.run();
                } finally {
                    self.setName(idle);
                }
            });
        } catch (RejectedExecutionException full) {
            Thread.ofVirtual().name(name).start(task);
        }
    }

    /** Connections running on pooled platform threads now (tests). */
    static int platformBusy() {
        return POOL.getActiveCount();
    }
}
