package org.postern.server.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.postern.server.relay.MxResult.Hosts;
import org.postern.server.relay.MxResult.PermanentFailure;
import org.postern.server.relay.MxResult.TemporaryFailure;
import org.xbill.DNS.Type;

/** RFC 5321 §5.1 and RFC 7505 rules, over real UDP (and TCP) to a {@link TestDnsServer}. */
class MxResolverTest {
    /** One zone for the table: each case asks about its own domain. */
    private static final String[] ZONE = {
            // sorted by preference, whatever order DNS gives
            "sorted.test. MX 20 mx2.sorted.test.", "sorted.test. MX 30 mx3.sorted.test.", "sorted.test. MX 10 mx1.sorted.test.",
            "mx1.sorted.test. A 127.0.0.11", "mx2.sorted.test. A 127.0.0.12", "mx3.sorted.test. A 127.0.0.13",
            // IPv4 before IPv6, whatever order DNS gives
            "dual.test. MX 10 mx.dual.test.", "mx.dual.test. AAAA ::2", "mx.dual.test. A 127.0.0.14",
            "implicit.test. A 127.0.0.15", "implicit.test. AAAA ::15",
            "nullmx.test. MX 0 .",
            "nullmx10.test. MX 10 .",
            "mixed.test. MX 0 .", "mixed.test. MX 10 mx.mixed.test.", "mx.mixed.test. A 127.0.0.16",
            "empty.test. TXT \"no mail here\"",
            "skip.test. MX 10 gone.skip.test.", "skip.test. MX 15 noaddr.skip.test.", "noaddr.skip.test. TXT \"x\"",
            "skip.test. MX 20 mx.skip.test.", "mx.skip.test. A 127.0.0.17",
            "dead.test. MX 10 gone.dead.test.", "dead.test. MX 20 noaddr.dead.test.", "noaddr.dead.test. TXT \"x\"",
            "literal.test. MX 10 192.0.2.1.", "literal.test. MX 20 mx.literal.test.", "mx.literal.test. A 127.0.0.18",
            "literalonly.test. MX 10 192.0.2.1.",
            "loop.test. MX 10 us.example.", "loop.test. MX 20 other.loop.test.", "other.loop.test. A 127.0.0.19",
            "us.example. A 127.0.0.9",
            "loopaddr.test. MX 10 alias-of-us.loopaddr.test.", "alias-of-us.loopaddr.test. A 127.0.0.9",
            "tie.test. MX 10 us.example.", "tie.test. MX 10 peer.tie.test.", "peer.tie.test. A 127.0.0.20",
            "backup.test. MX 10 primary.backup.test.", "backup.test. MX 20 us.example.",
            "backup.test. MX 30 tertiary.backup.test.", "backup.test. MX 5 gone.backup.test.",
            "primary.backup.test. A 127.0.0.21", "tertiary.backup.test. A 127.0.0.22",
            "backupdown.test. MX 10 gone.backupdown.test.", "backupdown.test. MX 20 us.example.",
            "self.test. A 127.0.0.9",
            "alias.test. MX 10 mail.alias.test.", "mail.alias.test. CNAME real.alias.test.", "real.alias.test. A 127.0.0.23",
            "cname.test. CNAME target.test.", "target.test. MX 10 mx.target.test.", "mx.target.test. A 127.0.0.24",
            "cnamenx.test. CNAME nowhere.test.",
            "xn--bcher-kva.test. MX 10 mx.xn--bcher-kva.test.", "mx.xn--bcher-kva.test. A 127.0.0.25",
    };

    private static final OwnHosts NOBODY = OwnHosts.none();
    private static final OwnHosts US_BY_NAME = new OwnHosts(Set.of("US.example."), Set.of());
    private static final OwnHosts US_BY_ADDRESS = new OwnHosts(Set.of("mail.elsewhere"), Set.of(ip("127.0.0.9")));

    record Case(String why, String domain, OwnHosts own, MxResult expected) {}

    @Test
    void appliesTheRulesOfRfc5321AndRfc7505() throws Exception {
        try (var dns = TestDnsServer.start().add(ZONE).servfail("broken.test").servfail("gone.backupdown.test")) {
            for (var c : List.of(
                    new Case("sorted by preference", "sorted.test", NOBODY, hosts(
                            host(10, "mx1.sorted.test", "127.0.0.11"), host(20, "mx2.sorted.test", "127.0.0.12"),
                            host(30, "mx3.sorted.test", "127.0.0.13"))),
                    new Case("A before AAAA", "dual.test", NOBODY, hosts(host(10, "mx.dual.test", "127.0.0.14", "::2"))),
                    new Case("no MX: implicit MX, preference 0", "implicit.test", NOBODY,
                            hosts(host(0, "implicit.test", "127.0.0.15", "::15"))),
                    new Case("null MX", "nullmx.test", NOBODY,
                            new PermanentFailure("domain nullmx.test does not accept mail (RFC 7505 null MX)")),
                    new Case("null MX with a preference other than 0", "nullmx10.test", NOBODY,
                            new PermanentFailure("does not accept mail (RFC 7505")),
                    new Case("\".\" among other MX records is skipped", "mixed.test", NOBODY,
                            hosts(host(10, "mx.mixed.test", "127.0.0.16"))),
                    new Case("NXDOMAIN", "nonexistent.test", NOBODY,
                            new PermanentFailure("domain nonexistent.test does not exist (NXDOMAIN)")),
                    new Case("NXDOMAIN at the end of a CNAME", "cnamenx.test", NOBODY,
                            new PermanentFailure("does not exist (NXDOMAIN)")),
                    new Case("SERVFAIL", "broken.test", NOBODY, new TemporaryFailure("SERVFAIL")),
                    new Case("no MX and no address", "empty.test", NOBODY,
                            new PermanentFailure("domain empty.test has no MX, A or AAAA records (RFC 5321 §5.1)")),
                    new Case("MX hosts without addresses are skipped", "skip.test", NOBODY,
                            hosts(host(20, "mx.skip.test", "127.0.0.17"))),
                    new Case("no MX host resolves", "dead.test", NOBODY, new TemporaryFailure("no usable MX host for dead.test:"
                            + " gone.dead.test: no such host (NXDOMAIN); noaddr.dead.test: no A or AAAA records")),
                    new Case("an IP address as MX target is skipped", "literal.test", NOBODY,
                            hosts(host(20, "mx.literal.test", "127.0.0.18"))),
                    new Case("only an IP address as MX target", "literalonly.test", NOBODY,
                            new TemporaryFailure("192.0.2.1: an IP address as MX target")),
                    new Case("we are the lowest MX, by name", "loop.test", US_BY_NAME,
                            new PermanentFailure("mail for loop.test loops back to this server")),
                    new Case("we are the lowest MX, by address", "loopaddr.test", US_BY_ADDRESS,
                            new PermanentFailure("loops back to this server")),
                    new Case("an equal preference is not lower", "tie.test", US_BY_NAME,
                            new PermanentFailure("loops back to this server")),
                    new Case("an equal preference found by address is not lower", "tie.test", US_BY_ADDRESS,
                            new PermanentFailure("loops back to this server")),
                    new Case("we are a backup MX: only lower ones", "backup.test", US_BY_NAME,
                            hosts(host(10, "primary.backup.test", "127.0.0.21"))),
                    new Case("we are a backup MX, by address", "backup.test", US_BY_ADDRESS,
                            hosts(host(10, "primary.backup.test", "127.0.0.21"))),
                    new Case("we are a backup MX and the primary does not resolve", "backupdown.test", US_BY_NAME,
                            new TemporaryFailure("no usable MX host for backupdown.test below our own preference 20")),
                    new Case("someone else's loop is not ours", "loop.test", NOBODY, hosts(
                            host(10, "us.example", "127.0.0.9"), host(20, "other.loop.test", "127.0.0.19"))),
                    new Case("implicit MX that is us", "self.test", US_BY_ADDRESS,
                            new PermanentFailure("mail for self.test loops back to this server: it has no MX")),
                    new Case("MX target behind a CNAME keeps the MX name", "alias.test", NOBODY,
                            hosts(host(10, "mail.alias.test", "127.0.0.23"))),
                    new Case("the domain is a CNAME", "cname.test", NOBODY, hosts(host(10, "mx.target.test", "127.0.0.24"))),
                    new Case("IDN: looked up as A-labels", "bücher.test", NOBODY,
                            hosts(host(10, "mx.xn--bcher-kva.test", "127.0.0.25"))),
                    new Case("IDN given as A-labels, any case", "XN--BCHER-KVA.test.", NOBODY,
                            hosts(host(10, "mx.xn--bcher-kva.test", "127.0.0.25"))),
                    new Case("not a domain", "a..b", NOBODY, new PermanentFailure("not a valid domain name: a..b")),
                    new Case("an address literal is not a domain", "[127.0.0.1]", NOBODY,
                            new PermanentFailure("not a valid domain name")))) {
                var resolver = new MxResolver(dns.settings(), c.own(), Clock.systemUTC(), new Random(1));
                assertMatches(c.expected(), resolver.resolve(c.domain()), c.why());
            }
        }
    }

    @Test
    void shufflesEqualPreferencesWithTheInjectedRandom() throws Exception {
        try (var dns = TestDnsServer.start()
                .mx("equal.test", 10, "a.equal.test", "127.0.0.2").mx("equal.test", 10, "b.equal.test", "127.0.0.3")
                .mx("equal.test", 10, "c.equal.test", "127.0.0.4").mx("equal.test", 5, "first.equal.test", "127.0.0.5")
                .mx("equal.test", 20, "last.equal.test", "127.0.0.6")) {
            var one = new MxResolver(dns.settings(), NOBODY, Clock.systemUTC(), new Random(7));
            var same = new MxResolver(dns.settings(), NOBODY, Clock.systemUTC(), new Random(7));
            Set<List<String>> orders = new HashSet<>();
            for (int i = 0; i < 30; i++) {
                List<String> names = names(one.resolve("equal.test"));
                assertEquals(names, names(same.resolve("equal.test")), "same seed, same order");
                assertEquals("first.equal.test", names.getFirst());
                assertEquals(Set.of("a.equal.test", "b.equal.test", "c.equal.test"), Set.copyOf(names.subList(1, 4)));
                assertEquals("last.equal.test", names.getLast());
                orders.add(names);
            }
            assertTrue(orders.size() > 1, "equal preferences in more than one order: " + orders);
        }
    }

    @Test
    void aTimeoutIsATemporaryFailureAfterTheRetries() throws Exception {
        try (var dns = TestDnsServer.start().silent("slow.test")) {
            var settings = dns.settings().withTimeout(Duration.ofMillis(200)).withRetries(1);
            var resolver = new MxResolver(settings, NOBODY, Clock.systemUTC(), new Random(1));
            long start = System.nanoTime();
            var result = resolver.resolve("slow.test");
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertInstanceOf(TemporaryFailure.class, result);
            assertTrue(((TemporaryFailure) result).reason().startsWith("DNS query slow.test./MX failed: "), result.toString());
            assertEquals(2, dns.queries("slow.test", Type.MX), "one try and one retry");
            assertTrue(millis >= 400 && millis < 5_000, millis + " ms");
        }
    }

    @Test
    void aFailingServerIsFollowedByTheNextOne() throws Exception {
        try (var bad = TestDnsServer.start().servfail("b.test").servfail("mx.b.test");
             var dead = TestDnsServer.start().silent("b.test").silent("mx.b.test");
             var good = TestDnsServer.start().mx("b.test", "mx.b.test", "127.0.0.3")) {
            var settings = new DnsSettings(List.of(bad.address(), dead.address(), good.address()), Duration.ofMillis(200), 1);
            var resolver = new MxResolver(settings, NOBODY, Clock.systemUTC(), new Random(1));
            assertEquals(hosts(host(10, "mx.b.test", "127.0.0.3")), resolver.resolve("b.test"));
            assertEquals(1, bad.queries("b.test", Type.MX), "a SERVFAIL is not asked again");
            assertEquals(1, dead.queries("b.test", Type.MX), "the next server answered before a retry");
            assertEquals(1, good.queries("b.test", Type.MX));
        }
    }

    @Test
    void aTruncatedAnswerIsAskedAgainOverTcp() throws Exception {
        try (var dns = TestDnsServer.start().truncateUdp(true).mx("b.test", "mx.b.test", "127.0.0.3", "::3")) {
            var resolver = new MxResolver(dns.settings(), NOBODY, Clock.systemUTC(), new Random(1));
            assertEquals(hosts(host(10, "mx.b.test", "127.0.0.3", "::3")), resolver.resolve("b.test"));
            assertEquals(3, dns.tcpQueries(), "MX, A and AAAA over TCP");
        }
    }

    @Test
    void aCnameWithoutItsTargetIsFollowedByAnotherQuery() throws Exception {
        try (var dns = TestDnsServer.start().chaseCnames(false)
                .add("b.test. CNAME b.other.test.").mx("b.other.test", "mx.b.other.test", "127.0.0.3")
                .add("loop1.test. CNAME loop2.test.", "loop2.test. CNAME loop1.test.")) {
            var resolver = new MxResolver(dns.settings(), NOBODY, Clock.systemUTC(), new Random(1));
            assertEquals(hosts(host(10, "mx.b.other.test", "127.0.0.3")), resolver.resolve("b.test"));
            assertEquals(1, dns.queries("b.other.test", Type.MX));
            assertMatches(new TemporaryFailure("more than " + DnsClient.MAX_CNAME_HOPS + " CNAMEs"),
                    resolver.resolve("loop1.test"), "CNAME loop");
        }
    }

    @Test
    void testDnsServerMakesDeliveryBetweenTwoLoopbackServersAOneLiner() throws Exception {
        try (var dns = TestDnsServer.start().mx("a.test", "mx.a.test", "127.0.0.2").mx("b.test", "mx.b.test", "127.0.0.3")) {
            var atA = dns.resolver(new OwnHosts(Set.of("mx.a.test"), Set.of(ip("127.0.0.2"))));
            assertEquals(hosts(host(10, "mx.b.test", "127.0.0.3")), atA.resolve("b.test"));
            assertMatches(new PermanentFailure("loops back"), atA.resolve("a.test"), "own domain");
        }
    }

    static void assertMatches(MxResult expected, MxResult actual, String why) {
        switch (expected) {
            case Hosts h -> assertEquals(h, actual, why);
            case PermanentFailure f -> assertTrue(actual instanceof PermanentFailure a && a.reason().contains(f.reason()),
                    why + ": " + actual);
            case TemporaryFailure f -> assertTrue(actual instanceof TemporaryFailure a && a.reason().contains(f.reason()),
                    why + ": " + actual);
        }
    }

    static Hosts hosts(MxHost... hosts) {
        return new Hosts(List.of(hosts));
    }

    static MxHost host(int preference, String name, String... addresses) {
        return new MxHost(preference, name, Arrays.stream(addresses).map(MxResolverTest::ip).toList());
    }

    static InetAddress ip(String literal) {
        return InetAddress.ofLiteral(literal);
    }

    private static List<String> names(MxResult result) {
        List<String> names = new ArrayList<>();
        for (MxHost h : assertInstanceOf(Hosts.class, result).hosts()) names.add(h.host());
        return names;
    }
}
