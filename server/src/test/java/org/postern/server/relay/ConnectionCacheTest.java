package org.postern.server.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postern.wire.smtp.client.ClientSettings;
import org.postern.wire.smtp.client.Destination;
import org.postern.wire.smtp.client.FakeSmtpServer;
import org.postern.wire.smtp.client.SmtpClient;

/**
 * The cache's rules with a clock the test moves, over real sessions to {@link FakeSmtpServer}: the idle limit and
 * the age limit at the limit and one past it, and the per-destination connection limit counting idle sessions.
 */
class ConnectionCacheTest {
    private static final String DEST = "b.test";
    private static final ClientSettings CLIENT = new ClientSettings("mx.a.test", ClientSettings.Timeouts.all(Duration.ofSeconds(2)));

    FakeSmtpServer remote;
    final AtomicLong now = new AtomicLong(1_000_000_000L);
    ConnectionCache cache;

    @BeforeEach
    void setUp() throws IOException {
        remote = FakeSmtpServer.start();
        cache = new ConnectionCache(2, now::get);
    }

    @AfterEach
    void tearDown() throws IOException {
        cache.close();
        remote.close();
    }

    private ConnectionCache.Session open() {
        return cache.opened(SmtpClient.connect(Destination.mx("mx.b.test", remote.address()), CLIENT));
    }

    /** Parks a new session for DEST and returns it. */
    private ConnectionCache.Session parkOne() {
        ConnectionCache.Slot slot = cache.acquire(DEST);
        assertThat(slot.cached()).isEmpty();
        ConnectionCache.Session s = open();
        slot.release(Optional.of(s));
        return s;
    }

    @Test
    void anIdleSessionIsHandedOutUpToTheIdleLimitAndClosedOnePast() {
        ConnectionCache.Session s = parkOne();
        now.addAndGet(ConnectionCache.IDLE_CLOSE.toNanos());
        ConnectionCache.Slot slot = cache.acquire(DEST);
        assertThat(slot.cached()).as("at the limit").containsSame(s);
        slot.release(Optional.of(s));

        now.addAndGet(ConnectionCache.IDLE_CLOSE.toNanos() + 1);
        ConnectionCache.Slot again = cache.acquire(DEST);
        assertThat(again.cached()).as("one past the limit").isEmpty();
        assertThat(s.client().reusable()).isFalse();
        assertThat(remote.verbs()).containsExactly("EHLO", "QUIT");
        again.release(Optional.empty());
    }

    @Test
    void closeIdleClosesOnlyTheSessionsPastTheIdleLimit() {
        ConnectionCache.Session s = parkOne();
        now.addAndGet(ConnectionCache.IDLE_CLOSE.toNanos());
        cache.closeIdle(Runnable::run);
        assertThat(cache.idleCount()).as("at the limit").isEqualTo(1);
        assertThat(s.client().reusable()).isTrue();

        now.addAndGet(1);
        cache.closeIdle(Runnable::run);
        assertThat(cache.idleCount()).as("one past the limit").isZero();
        assertThat(s.client().reusable()).isFalse();
        assertThat(remote.verbs()).containsExactly("EHLO", "QUIT");
    }

    @Test
    void aSessionIsFreshUntilItsAgeLimit() {
        ConnectionCache.Session s = open();
        now.addAndGet(ConnectionCache.MAX_CONNECTION_AGE.toNanos() - 1);
        assertThat(cache.fresh(s)).as("just under the age limit").isTrue();
        now.addAndGet(1);
        assertThat(cache.fresh(s)).as("at the age limit").isFalse();

        ConnectionCache.Slot slot = cache.acquire(DEST);
        slot.release(Optional.of(s));
        assertThat(cache.idleCount()).as("too old to park").isZero();
        assertThat(s.client().reusable()).isFalse();
    }

    @Test
    void aBrokenSessionIsNotParked() {
        remote.rset(FakeSmtpServer.CLOSE);
        ConnectionCache.Slot slot = cache.acquire(DEST);
        ConnectionCache.Session s = open();
        assertThat(s.client().reset()).isFalse();
        slot.release(Optional.of(s));
        assertThat(cache.idleCount()).isZero();
    }

    /** Idle sessions count against the limit: a third thread waits until a slot is released, and gets it. */
    @Test
    void theDestinationsLimitCountsIdleSessionsAndAWaiterGetsTheReleasedSlot() throws Exception {
        ConnectionCache.Slot first = cache.acquire(DEST);
        ConnectionCache.Session parked = parkOne();   // the second slot, now idle
        ConnectionCache.Slot second = cache.acquire(DEST);
        assertThat(second.cached()).containsSame(parked);

        AtomicReference<ConnectionCache.Slot> third = new AtomicReference<>();
        Thread waiter = Thread.ofVirtual().start(() -> third.set(cache.acquire(DEST)));
        while (waiter.getState() != Thread.State.WAITING && waiter.isAlive()) Thread.onSpinWait();
        assertThat(third.get()).as("both slots are taken").isNull();

        first.release(Optional.empty());
        waiter.join();
        assertThat(third.get()).isNotNull();
        assertThat(third.get().cached()).isEmpty();
        third.get().release(Optional.empty());
        second.release(Optional.of(parked));
        assertThat(cache.idleCount()).isEqualTo(1);
    }

    @Test
    void anotherDestinationHasItsOwnLimitAndSessions() {
        parkOne();
        List<ConnectionCache.Slot> other = new ArrayList<>();
        for (int i = 0; i < 2; i++) other.add(cache.acquire("c.test"));
        assertThat(other).allSatisfy(s -> assertThat(s.cached()).isEmpty());
        other.forEach(s -> s.release(Optional.empty()));
        assertThat(cache.idleCount()).isEqualTo(1);
    }

    @Test
    void afterCloseReleasedSessionsAreClosedNotParked() {
        ConnectionCache.Slot slot = cache.acquire(DEST);
        ConnectionCache.Session s = open();
        cache.close();
        slot.release(Optional.of(s));
        assertThat(cache.idleCount()).isZero();
        assertThat(s.client().reusable()).isFalse();
    }
}
