package org.postern.server.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.postern.wire.testing.TestClock;

class AuthThrottleTest {
    final TestClock clock = TestClock.at("2026-11-26T12:00:00Z");
    final AuthThrottle throttle = new AuthThrottle(clock);

    static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void anAddressIsRefusedAtTheLimitOfFailuresAndNotOneBefore() throws Exception {
        InetAddress a = ip("192.0.2.7");
        for (int i = 0; i < AuthThrottle.MAX_FAILURES_PER_ADDRESS - 1; i++) throttle.failed(a, "user" + i + "@example.org");
        assertThat(throttle.refused(a)).isFalse();
        throttle.failed(a, "another@example.org");
        assertThat(throttle.refused(a)).isTrue();
        assertThat(throttle.refused(ip("192.0.2.8"))).isFalse();
    }

    @Test
    void theRefusalEndsWhenTheWindowHasPassed() throws Exception {
        InetAddress a = ip("192.0.2.7");
        for (int i = 0; i < AuthThrottle.MAX_FAILURES_PER_ADDRESS; i++) throttle.failed(a, "x@example.org");
        clock.set(clock.instant().plus(AuthThrottle.WINDOW).minusSeconds(1));
        assertThat(throttle.refused(a)).isTrue();
        clock.set(clock.instant().plusSeconds(1));
        assertThat(throttle.refused(a)).isFalse();
    }

    @Test
    void ipv6ClientsAreCountedPerSlash64() throws Exception {
        for (int i = 0; i < AuthThrottle.MAX_FAILURES_PER_ADDRESS; i++)
            throttle.failed(ip("2001:db8:1:2::" + Integer.toHexString(i + 1)), "x@example.org");
        assertThat(throttle.refused(ip("2001:db8:1:2:ffff::1"))).isTrue();
        assertThat(throttle.refused(ip("2001:db8:1:3::1"))).isFalse();
    }

    @Test
    void anAccountUnderAttackIsSlowedPastItsLimitButNeverRefused() throws Exception {
        Duration last = Duration.ZERO;
        for (int i = 1; i <= AuthThrottle.MAX_FAILURES_PER_ACCOUNT; i++) {
            last = throttle.failed(ip("198.51.100." + i), "Victim@Example.org");
            assertThat(last).as("failure " + i).isZero();
        }
        assertThat(throttle.failed(ip("198.51.100.200"), "victim@example.org")).isEqualTo(AuthThrottle.ACCOUNT_PENALTY);
        assertThat(throttle.refused(ip("203.0.113.1"))).isFalse();    // the real user, elsewhere, may still log in
    }

    @Test
    void aDisabledThrottleNeverRefusesNorDelays() throws Exception {
        AuthThrottle off = AuthThrottle.disabled();
        InetAddress a = ip("192.0.2.9");
        for (int i = 0; i < AuthThrottle.MAX_FAILURES_PER_ADDRESS + AuthThrottle.MAX_FAILURES_PER_ACCOUNT; i++)
            assertThat(off.failed(a, "x@example.org")).isZero();
        assertThat(off.refused(a)).isFalse();
    }

    @Test
    void accountKeysAreCutAtTheLongestAddressSoLongUserNamesCostNoMoreMemory() {
        String at = "a".repeat(AuthThrottle.MAX_ACCOUNT_KEY);
        assertThat(AuthThrottle.accountKey(at)).hasSize(AuthThrottle.MAX_ACCOUNT_KEY);
        assertThat(AuthThrottle.accountKey(at + "b")).hasSize(AuthThrottle.MAX_ACCOUNT_KEY).isEqualTo(at);
        assertThat(AuthThrottle.accountKey("  Alice@Example.ORG ")).isEqualTo("alice@example.org");
    }
}
