package org.postern.server.net;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A socket's output with a deadline on each write: a client that stops reading (a full TCP window) would
 * otherwise block its session in {@code write()} forever — Java sockets have no write timeout — holding a
 * thread, a connection slot and, in POP3, the maildrop lock. One sweeper thread looks at every connection
 * that is in a write once per {@link #SWEEP} and closes the raw socket of any whose write has blocked longer
 * than its timeout; the blocked write then fails and the session ends as if the client had gone.
 *
 * <p>A write costs two volatile stores, no scheduling. The raw socket is closed, not a TLS socket layered on
 * it: closing TLS would try to send close_notify into the same full window.
 */
final class WriteDeadline extends OutputStream {
    /** How often blocked writes are checked: a deadline is kept to within this. */
    static final Duration SWEEP = Duration.ofSeconds(1);

    private static final Logger log = LoggerFactory.getLogger(WriteDeadline.class);
    private static final Set<WriteDeadline> ALL = ConcurrentHashMap.newKeySet();

    static {
        Thread.ofPlatform().daemon(true).name("write-deadline").start(WriteDeadline::sweepForever);
    }

    private final OutputStream out;
    private final Socket raw;
    private final long timeoutNanos;
    private volatile long writingSince;   // System.nanoTime() when the write began; 0 when not in a write

    /** @param raw the TCP socket to close on expiry (under any TLS layer) */
    WriteDeadline(OutputStream out, Socket raw, Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("write timeout must be positive");
        this.out = out;
        this.raw = raw;
        this.timeoutNanos = timeout.toNanos();
        ALL.add(this);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        begin();
        try {
            out.write(b, off, len);
        } finally {
            writingSince = 0;
        }
    }

    @Override
    public void flush() throws IOException {
        begin();
        try {
            out.flush();
        } finally {
            writingSince = 0;
        }
    }

    private void begin() {
        writingSince = System.nanoTime() | 1;   // never 0 while writing
    }

    @Override
    public void close() throws IOException {
        ALL.remove(this);
        out.close();
    }

    /** Closes the sockets of writes past their deadline; forgets connections that are closed. Returns how many it closed. */
    static int sweep() {
        long now = System.nanoTime();
        int closed = 0;
        for (WriteDeadline w : ALL) {
            if (w.raw.isClosed()) {
                ALL.remove(w);
                continue;
            }
            long since = w.writingSince;
            if (since != 0 && now - since > w.timeoutNanos) {
                log.info("closing the connection from {}: a write blocked for more than {} s (the client stopped reading)",
                        w.raw.getRemoteSocketAddress(), w.timeoutNanos / 1_000_000_000L);
                try {
                    w.raw.close();
                } catch (IOException ignored) {
                    // closing is best effort; the write fails either way
                }
                ALL.remove(w);
                closed++;
            }
        }
        return closed;
    }

    private static void sweepForever() {
        while (true) {
            try {
                Thread.sleep(SWEEP);
                sweep();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("write deadline sweep failed", e);
            }
        }
    }
}
