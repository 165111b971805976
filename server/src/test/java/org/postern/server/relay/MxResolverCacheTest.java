package org.postern.server.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.postern.server.relay.MxResolverTest.host;
import static org.postern.server.relay.MxResolverTest.hosts;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.postern.wire.testing.TestClock;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/** Answers are cached for their TTL against the injected clock; failures are not cached. */
class MxResolverCacheTest {
    private static final Instant START = Instant.parse("2026-11-26T12:00:00Z");
    /**
     * One step of a cache case: move the clock by {@code advance}, resolve the domain, and expect the server
     * to have been asked {@code questions} times in all for the domain's {@code type} records.
     */
    record Step(Duration advance, int questions) {}

    record Case(String why, List<String> zone, String domain, int type, List<Step> steps) {}

    private static Step at(long seconds, int questions) {
        return new Step(Duration.ofSeconds(seconds), questions);
    }

    @Test
    void keepsEachAnswerForItsTtl() throws Exception {
        for (var c : List.of(
                new Case("MX kept for its TTL", List.of("b.test. 60 MX 10 mx.b.test.", "mx.b.test. 300 A 127.0.0.3"),
                        "b.test", Type.MX, List.of(at(0, 1), at(0, 1), at(59, 1), at(1, 2), at(30, 2))),
                new Case("A kept for its own TTL", List.of("b.test. 60 MX 10 mx.b.test.", "mx.b.test. 300 A 127.0.0.3"),
                        "mx.b.test", Type.A, List.of(at(0, 1), at(61, 1), at(240, 2))),
                new Case("the smallest TTL of a CNAME chain", List.of("b.test. 30 CNAME c.test.", "c.test. 600 MX 10 mx.c.test.",
                        "mx.c.test. 600 A 127.0.0.3"), "b.test", Type.MX, List.of(at(0, 1), at(29, 1), at(1, 2))),
                new Case("TTL 0 is not kept", List.of("b.test. 0 MX 10 mx.b.test.", "mx.b.test. A 127.0.0.3"),
                        "b.test", Type.MX, List.of(at(0, 1), at(0, 2), at(0, 3))),
                new Case("no more than a day", List.of("b.test. 604800 MX 10 mx.b.test.", "mx.b.test. 604800 A 127.0.0.3"),
                        "b.test", Type.MX, List.of(at(0, 1), at(86399, 1), at(1, 2))),
                new Case("NXDOMAIN kept for the SOA's negative TTL (30 s here)", List.of(),
                        "nowhere.test", Type.MX, List.of(at(0, 1), at(29, 1), at(1, 2))),
                new Case("NODATA kept for the SOA's negative TTL", List.of("b.test. A 127.0.0.3"),
                        "b.test", Type.MX, List.of(at(0, 1), at(29, 1), at(1, 2))))) {
            try (var dns = TestDnsServer.start().add(c.zone().toArray(String[]::new)).negativeTtl(30)) {
                var clock = new TestClock(START);
                var resolver = new MxResolver(dns.settings(), OwnHosts.none(), clock, new Random(1));
                int step = 0;
                for (Step s : c.steps()) {
                    clock.advance(s.advance());
                    resolver.resolve(c.domain());
                    assertEquals(s.questions(), dns.queries(c.domain(), c.type()), c.why() + ", step " + step++);
                }
            }
        }
    }

    @Test
    void aSecondLookupIsAnsweredFromTheCacheUntilTheTtlHasPassed() throws Exception {
        try (var dns = TestDnsServer.start().add("b.test. 60 MX 10 mx.b.test.", "mx.b.test. 60 A 127.0.0.3")) {
            var clock = new TestClock(START);
            var resolver = new MxResolver(dns.settings(), OwnHosts.none(), clock, new Random(1));
            assertEquals(hosts(host(10, "mx.b.test", "127.0.0.3")), resolver.resolve("b.test"));
            int asked = dns.queries();
            assertEquals(3, asked, "MX, A, AAAA");
            dns.clear().add("b.test. 60 MX 10 mx2.b.test.", "mx2.b.test. 60 A 127.0.0.4");
            assertEquals(hosts(host(10, "mx.b.test", "127.0.0.3")), resolver.resolve("b.test"), "from the cache");
            assertEquals(asked, dns.queries(), "no question reached the server");
            clock.advance(Duration.ofSeconds(60));
            assertEquals(hosts(host(10, "mx2.b.test", "127.0.0.4")), resolver.resolve("b.test"), "asked again");
        }
    }

    @Test
    void negativeAnswersWithoutSoaAreKeptForTheDefault() throws Exception {
        try (var dns = TestDnsServer.start().withoutSoa()) {
            var clock = new TestClock(START);
            var resolver = new MxResolver(dns.settings(), OwnHosts.none(), clock, new Random(1));
            resolver.resolve("nowhere.test");
            clock.advance(DnsClient.DEFAULT_NEGATIVE_TTL.minusSeconds(1));
            resolver.resolve("nowhere.test");
            assertEquals(1, dns.queries("nowhere.test", Type.MX));
            clock.advance(Duration.ofSeconds(1));
            resolver.resolve("nowhere.test");
            assertEquals(2, dns.queries("nowhere.test", Type.MX));
        }
    }

    @Test
    void negativeAnswersAreKeptNoLongerThanTheMaximum() throws Exception {
        try (var dns = TestDnsServer.start().negativeTtl(86_400)) {
            var clock = new TestClock(START);
            var resolver = new MxResolver(dns.settings(), OwnHosts.none(), clock, new Random(1));
            resolver.resolve("nowhere.test");
            clock.advance(DnsClient.MAX_NEGATIVE_TTL);
            resolver.resolve("nowhere.test");
            assertEquals(2, dns.queries("nowhere.test", Type.MX));
        }
    }

    @Test
    void failuresAreNotCached() throws Exception {
        try (var dns = TestDnsServer.start().servfail("broken.test").mx("half.test", "mx.half.test").servfail("mx.half.test")) {
            var resolver = new MxResolver(dns.settings(), OwnHosts.none(), new TestClock(START), new Random(1));
            for (int i = 1; i <= 3; i++) {
                assertInstanceOf(MxResult.TemporaryFailure.class, resolver.resolve("broken.test"));
                assertEquals(i, dns.queries("broken.test", Type.MX));
                assertInstanceOf(MxResult.TemporaryFailure.class, resolver.resolve("half.test"));
                assertEquals(1, dns.queries("half.test", Type.MX), "the MX answer itself is cached");
                assertEquals(i, dns.queries("mx.half.test", Type.A), "its host's failure is not");
            }
        }
    }

    @Test
    void theCacheDropsTheLeastRecentlyUsedAnswerWhenFull() throws Exception {
        var cache = new DnsCache(2);
        Instant now = Instant.parse("2026-11-26T12:00:00Z");
        Instant later = now.plusSeconds(60);
        var a = new DnsCache.Key(Name.fromString("a.test."), Type.MX);
        var b = new DnsCache.Key(Name.fromString("b.test."), Type.MX);
        var c = new DnsCache.Key(Name.fromString("c.test."), Type.MX);
        cache.put(a, new DnsAnswer.NoData(a.name()), now, later);
        cache.put(b, new DnsAnswer.NoData(b.name()), now, later);
        cache.get(a, now);                                  // a is now more recent than b
        cache.put(c, new DnsAnswer.NoData(c.name()), now, later);
        assertEquals(2, cache.size());
        assertEquals(true, cache.get(a, now).isPresent());
        assertEquals(false, cache.get(b, now).isPresent(), "dropped");
        assertEquals(false, cache.get(c, later).isPresent(), "expired");
        assertEquals(1, cache.size(), "an expired entry is removed when met");
    }
}
