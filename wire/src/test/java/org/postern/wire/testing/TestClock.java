package org.postern.wire.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A UTC clock the test moves by hand, for code that takes a {@link Clock} (throttle windows, DNS TTLs, retry
 * schedules, staged-blob ages): time-dependent behaviour is tested without waiting. Safe to read from the threads of
 * the code under test while the test thread moves it.
 */
public final class TestClock extends Clock {
    private volatile Instant now;

    public TestClock(Instant start) {
        this.now = start;
    }

    /** A clock at {@code iso} (an ISO-8601 instant such as "2026-11-26T12:00:00Z"). */
    public static TestClock at(String iso) {
        return new TestClock(Instant.parse(iso));
    }

    public void advance(Duration d) {
        now = now.plus(d);
    }

    public void set(Instant instant) {
        now = instant;
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
