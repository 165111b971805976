package org.postern.server.relay;

import java.net.InetAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Finds the hosts to relay mail for a domain to (RFC 5321 §5.1), with their addresses, from DNS.
 *
 * <p>Rules, in the order they apply:
 * <ol>
 * <li>The domain is looked up in A-label form (IDNA); an invalid name is a permanent failure.</li>
 * <li>MX query: NXDOMAIN is permanent; a timeout, SERVFAIL or network error is temporary.</li>
 * <li>No MX records (NODATA): the domain itself is the only host, preference 0 (the implicit MX); without
 *     A/AAAA records either, a permanent failure.</li>
 * <li>MX records whose only target is "." are a null MX (RFC 7505 §3): the domain accepts no mail, permanent.
 *     RFC 7505 asks for preference 0; we do not insist, the domain has said no either way.</li>
 * <li>Otherwise MX records are sorted by preference, equal preferences in random order to spread load
 *     (RFC 5321 §5.1), and at most {@link #MAX_MX_HOSTS} are looked at. A target "." among other records, an
 *     IP address written as a target (an MX names a host, RFC 1035 §3.3.9; RFC 5321 §5.1 forbids numeric
 *     targets by requiring a domain name), and a target without A/AAAA records are skipped; when no host
 *     is left, a temporary failure (the receiving domain may fix its DNS).</li>
 * <li>If one of the hosts is us ({@link OwnHosts}, by name or address), only hosts with a strictly lower
 *     preference are used (RFC 5321 §5.1); if there are none, the mail would loop: permanent failure.</li>
 * </ol>
 * Answers are cached for their TTL (see {@link DnsClient}), so the result for a domain changes when DNS does;
 * equal preferences are shuffled again on every call. Thread-safe; blocks while it queries.
 */
public final class MxResolver {
    /** MX records looked at per domain, after sorting. Each costs two address queries; Postfix tries at most 5
     *  addresses per delivery ({@code smtp_mx_address_limit}), so 10 hosts leave room for skipped ones. */
    public static final int MAX_MX_HOSTS = 10;

    /** Four dotted decimal numbers: an IPv4 address where a host name belongs. */
    private static final Pattern IPV4_TEXT = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final DnsClient dns;
    private final OwnHosts own;
    private final RandomGenerator random;

    /**
     * @param clock  decides when cached answers expire
     * @param random orders MX hosts of equal preference; a seeded one makes tests repeatable
     */
    public MxResolver(DnsSettings settings, OwnHosts own, Clock clock, RandomGenerator random) {
        this.dns = new DnsClient(settings, clock);
        this.own = own;
        this.random = random;
    }

    /** The hosts to try for mail to {@code domain} (a U-label or A-label domain, no address literal), or why none. */
    public MxResult resolve(String domain) {
        Optional<Name> parsed = DomainNames.toDnsName(domain);
        if (parsed.isEmpty()) return new MxResult.PermanentFailure("not a valid domain name: " + domain);
        Name name = parsed.get();
        String shown = DomainNames.text(name);
        return switch (dns.query(name, Type.MX)) {
            case DnsAnswer.Failed f -> new MxResult.TemporaryFailure(f.reason());
            case DnsAnswer.NoSuchName n -> new MxResult.PermanentFailure("domain " + shown + " does not exist (NXDOMAIN)");
            case DnsAnswer.NoData n -> implicitMx(shown, n.name());
            case DnsAnswer.Records r -> explicitMx(shown, r.records().stream().map(MXRecord.class::cast).toList());
        };
    }

    /** Entries in the cache, for tests. */
    int cacheSize() {
        return dns.cacheSize();
    }

    /** RFC 5321 §5.1: no MX, so the domain (the end of its CNAME chain) is its own mail host, preference 0. */
    private MxResult implicitMx(String domain, Name host) {
        return switch (addresses(host)) {
            case HostAddresses.Found f -> {
                if (isOurs(DomainNames.text(host), f.addresses())) {
                    yield new MxResult.PermanentFailure("mail for " + domain + " loops back to this server: it has no MX"
                            + " records and its address is ours (RFC 5321 §5.1)");
                }
                yield new MxResult.Hosts(List.of(new MxHost(0, DomainNames.text(host), f.addresses())));
            }
            case HostAddresses.Missing m -> new MxResult.PermanentFailure("domain " + domain
                    + " has no MX, A or AAAA records (RFC 5321 §5.1)");
            case HostAddresses.Unavailable u -> new MxResult.TemporaryFailure(u.reason());
        };
    }

    private MxResult explicitMx(String domain, List<MXRecord> records) {
        if (records.stream().allMatch(r -> r.getTarget().equals(Name.root))) {
            return new MxResult.PermanentFailure("domain " + domain + " does not accept mail (RFC 7505 null MX)");
        }
        List<MXRecord> ordered = byPreference(records);
        int ourPreference = ordered.stream()
                .filter(r -> own.isOurName(DomainNames.text(r.getTarget())))
                .mapToInt(MXRecord::getPriority)
                .min()
                .orElse(Integer.MAX_VALUE);
        List<MxHost> hosts = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (MXRecord r : ordered.subList(0, Math.min(ordered.size(), MAX_MX_HOSTS))) {
            if (r.getPriority() >= ourPreference) continue;     // sorted: only equal or worse ones follow
            String host = DomainNames.text(r.getTarget());
            if (r.getTarget().equals(Name.root)) {
                skipped.add("\".\" among other MX records (RFC 7505 §3)");
            } else if (IPV4_TEXT.matcher(host).matches()) {
                skipped.add(host + ": an IP address as MX target, not a host name (RFC 5321 §5.1)");
            } else {
                switch (addresses(r.getTarget())) {
                    case HostAddresses.Found f -> {
                        if (isOurs(host, f.addresses())) ourPreference = Math.min(ourPreference, r.getPriority());
                        else hosts.add(new MxHost(r.getPriority(), host, f.addresses()));
                    }
                    case HostAddresses.Missing m -> skipped.add(m.reason());
                    case HostAddresses.Unavailable u -> skipped.add(u.reason());
                }
            }
        }
        int ours = ourPreference;
        hosts.removeIf(h -> h.preference() >= ours);            // an equal one found before our own address was
        if (!hosts.isEmpty()) return new MxResult.Hosts(hosts);
        if (ours != Integer.MAX_VALUE && ordered.stream().noneMatch(r -> r.getPriority() < ours)) {
            return new MxResult.PermanentFailure("mail for " + domain + " loops back to this server: we are its MX"
                    + " with preference " + ours + " and there is no MX with a lower one (RFC 5321 §5.1)");
        }
        return new MxResult.TemporaryFailure("no usable MX host for " + domain
                + (ours == Integer.MAX_VALUE ? "" : " below our own preference " + ours) + ": " + String.join("; ", skipped));
    }

    /**
     * Sorted by preference; each run of equal preferences shuffled (RFC 5321 §5.1: "randomize them").
     * Synchronized because {@code random} need not be thread-safe (SplittableRandom, a test's fixed sequence).
     */
    private synchronized List<MXRecord> byPreference(List<MXRecord> records) {
        List<MXRecord> sorted = new ArrayList<>(records);
        sorted.sort(Comparator.comparingInt(MXRecord::getPriority));
        for (int start = 0; start < sorted.size(); ) {
            int end = start;
            while (end < sorted.size() && sorted.get(end).getPriority() == sorted.get(start).getPriority()) end++;
            Collections.shuffle(sorted.subList(start, end), random);
            start = end;
        }
        return sorted;
    }

    private boolean isOurs(String host, List<InetAddress> addresses) {
        return own.isOurName(host) || addresses.stream().anyMatch(own::isOurAddress);
    }

    private sealed interface HostAddresses {
        record Found(List<InetAddress> addresses) implements HostAddresses {}
        /** The host does not exist or has neither A nor AAAA records. */
        record Missing(String reason) implements HostAddresses {}
        /** DNS failed for both types; it may answer later. */
        record Unavailable(String reason) implements HostAddresses {}
    }

    /** A records first, then AAAA (see {@link MxHost}). */
    private HostAddresses addresses(Name host) {
        DnsAnswer v4 = dns.query(host, Type.A);
        DnsAnswer v6 = dns.query(host, Type.AAAA);
        List<InetAddress> found = new ArrayList<>();
        for (DnsAnswer a : List.of(v4, v6)) {
            if (a instanceof DnsAnswer.Records r) {
                for (Record rec : r.records()) {
                    switch (rec) {
                        case ARecord x -> found.add(x.getAddress());
                        case AAAARecord x -> found.add(x.getAddress());
                        default -> { }
                    }
                }
            }
        }
        String name = DomainNames.text(host);
        if (!found.isEmpty()) return new HostAddresses.Found(found);
        if (v4 instanceof DnsAnswer.Failed f) return new HostAddresses.Unavailable(f.reason());
        if (v6 instanceof DnsAnswer.Failed f) return new HostAddresses.Unavailable(f.reason());
        if (v4 instanceof DnsAnswer.NoSuchName) return new HostAddresses.Missing(name + ": no such host (NXDOMAIN)");
        return new HostAddresses.Missing(name + ": no A or AAAA records");
    }
}
