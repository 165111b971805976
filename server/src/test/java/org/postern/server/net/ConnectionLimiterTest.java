package org.postern.server.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class ConnectionLimiterTest {
    @Test
    void perAddressCapAllowsNAndRefusesNPlusOne() throws Exception {
        ConnectionLimiter l = new ConnectionLimiter(100, 2);
        InetAddress a = InetAddress.getByName("192.0.2.1"), b = InetAddress.getByName("192.0.2.2");
        assertThat(l.tryAcquire(a)).isTrue();
        assertThat(l.tryAcquire(a)).isTrue();
        assertThat(l.tryAcquire(a)).isFalse();
        assertThat(l.tryAcquire(b)).isTrue();
        l.release(a);
        assertThat(l.tryAcquire(a)).isTrue();
        assertThat(l.openFrom(a)).isEqualTo(2);
        l.release(a);
        l.release(a);
        assertThat(l.openFrom(a)).isZero();
    }

    @Test
    void ipv6ClientsAreCountedPerSlash64() throws Exception {
        ConnectionLimiter l = new ConnectionLimiter(100, 1);
        assertThat(l.tryAcquire(InetAddress.getByName("2001:db8:1:2::1"))).isTrue();
        assertThat(l.tryAcquire(InetAddress.getByName("2001:db8:1:2::ffff"))).isFalse();
        assertThat(l.tryAcquire(InetAddress.getByName("2001:db8:1:3::1"))).isTrue();
        assertThat(l.tryAcquire(InetAddress.getByName("::ffff:192.0.2.1"))).isTrue();
        assertThat(l.tryAcquire(InetAddress.getByName("192.0.2.1"))).isFalse();   // the same client, mapped
    }

    @Test
    void totalSlotsAreCounted() throws Exception {
        ConnectionLimiter l = new ConnectionLimiter(2, 2);
        l.acquireSlot();
        l.acquireSlot();
        assertThat(l.open()).isEqualTo(2);
        Thread waiter = Thread.ofVirtual().start(() -> {
            try {
                l.acquireSlot();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Thread.sleep(100);
        assertThat(waiter.isAlive()).isTrue();   // the third waits
        l.releaseSlot();
        waiter.join(2000);
        assertThat(waiter.isAlive()).isFalse();
    }
}
