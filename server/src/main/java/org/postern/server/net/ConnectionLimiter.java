package org.postern.server.net;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * Caps open connections: in total (a permit taken before {@code accept()}, so extra clients wait in the
 * kernel's backlog instead of costing us a thread: Helidon) and per client address (checked right after
 * accept, before the greeting: mox's limiterConnections). Share one limiter among the listeners of a protocol
 * so the caps hold across ports.
 *
 * <p>IPv6 clients are counted per /64: one host usually holds a whole /64, so counting single addresses
 * would let it open a connection per address.
 */
public final class ConnectionLimiter {
    private final int maxTotal;
    private final int maxPerIp;
    private final Semaphore slots;
    private final ConcurrentHashMap<String, Integer> perIp = new ConcurrentHashMap<>();

    public ConnectionLimiter(int maxTotal, int maxPerIp) {
        if (maxTotal < 1 || maxPerIp < 1) throw new IllegalArgumentException("connection limits must be at least 1");
        this.maxTotal = maxTotal;
        this.maxPerIp = maxPerIp;
        this.slots = new Semaphore(maxTotal, true);
    }

    /** Blocks until a connection may be accepted. */
    public void acquireSlot() throws InterruptedException {
        slots.acquire();
    }

    public void releaseSlot() {
        slots.release();
    }

    /** Counts one more connection from {@code client}, unless that client is at its cap. */
    public boolean tryAcquire(InetAddress client) {
        boolean[] ok = {false};
        perIp.compute(key(client), (k, n) -> {
            int open = n == null ? 0 : n;
            if (open >= maxPerIp) return n;
            ok[0] = true;
            return open + 1;
        });
        return ok[0];
    }

    public void release(InetAddress client) {
        perIp.computeIfPresent(key(client), (k, n) -> n <= 1 ? null : n - 1);
    }

    /** Connections open now (accepted and not yet finished). */
    public int open() {
        return maxTotal - slots.availablePermits();
    }

    public int openFrom(InetAddress client) {
        return perIp.getOrDefault(key(client), 0);
    }

    static String key(InetAddress a) {
        byte[] b = a.getAddress();
        if (a instanceof Inet6Address) {
            boolean mapped = true;
            for (int i = 0; i < 10; i++) mapped &= b[i] == 0;
            mapped &= b[10] == (byte) 0xff && b[11] == (byte) 0xff;
            if (mapped) return (b[12] & 0xff) + "." + (b[13] & 0xff) + "." + (b[14] & 0xff) + "." + (b[15] & 0xff);
            return HexFormat.of().formatHex(b, 0, 8) + "::/64";
        }
        return a.getHostAddress();
    }
}
