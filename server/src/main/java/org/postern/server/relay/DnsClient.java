package org.postern.server.relay;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Asks one question at a time of a recursive resolver, follows CNAMEs, and caches the outcome.
 *
 * <p>Implementation notes:
 * <ul>
 * <li>We send queries with dnsjava's {@link SimpleResolver} (UDP with EDNS, TCP again when the answer is
 *     truncated) and do the retries and the CNAME chase ourselves rather than through dnsjava's
 *     {@code LookupSession}: its cache reads the system clock and its exceptions drop the SOA record that
 *     sets how long a negative answer may be cached (RFC 2308 §5). The chase is the same: the CNAMEs that
 *     come with an answer are followed (RFC 1034 §3.6.2), and when a server gives an alias without its
 *     target's records, the target is asked for; at most {@link #MAX_CNAME_HOPS} aliases. DNAMEs are not
 *     followed themselves: a resolver sends the CNAME it synthesizes with them (RFC 6672 §3.1).</li>
 * <li>Positive answers are cached for the smallest TTL of the records and aliases that made them, at most
 *     {@link #MAX_TTL}; NXDOMAIN and NODATA for the SOA's negative TTL, at most {@link #MAX_NEGATIVE_TTL},
 *     or {@link #DEFAULT_NEGATIVE_TTL} without an SOA.</li>
 * <li>Failures (timeout, SERVFAIL, REFUSED) are not cached, though RFC 2308 §7.1 would allow five minutes:
 *     the relay queue already waits minutes between attempts for a domain, so a cached failure could only
 *     make the first attempt after the resolver recovers fail as well.</li>
 * </ul>
 */
final class DnsClient {
    /** dnsjava's {@code LookupSession} follows at most 16 aliases; real chains have one or two. */
    static final int MAX_CNAME_HOPS = 16;
    /** Longest time an answer is kept whatever its TTL says (unbound's {@code cache-max-ttl} is one day), so a
     *  changed MX reaches the queue within a day even after a TTL typo of years. */
    static final Duration MAX_TTL = Duration.ofDays(1);
    /** RFC 2308 §5: "values of one to three hours have been found to work well"; we take the low end, so mail
     *  waiting for a domain being set up flows soon after it appears. */
    static final Duration MAX_NEGATIVE_TTL = Duration.ofHours(1);
    /** A negative answer without an SOA. RFC 2308 §5 says not to cache it at all, for fear of two caching
     *  servers feeding it to each other forever; we serve no one, and one minute spares the resolver a burst
     *  of identical questions from a queue run. */
    static final Duration DEFAULT_NEGATIVE_TTL = Duration.ofMinutes(1);

    private static final Logger log = LoggerFactory.getLogger(DnsClient.class);

    private final List<Resolver> resolvers;
    private final int retries;
    private final Clock clock;
    private final DnsCache cache = new DnsCache();

    DnsClient(DnsSettings settings, Clock clock) {
        List<InetSocketAddress> servers = settings.servers().isEmpty()
                ? ResolverConfig.getCurrentConfig().servers()
                : settings.servers();
        List<Resolver> list = new ArrayList<>();
        for (InetSocketAddress server : servers) {
            SimpleResolver r = new SimpleResolver(server);
            r.setTimeout(settings.timeout());
            list.add(r);
        }
        this.resolvers = List.copyOf(list);
        this.retries = settings.retries();
        this.clock = clock;
    }

    /** The answer for {@code name}/{@code type}, from the cache while it is fresh. */
    DnsAnswer query(Name name, int type) {
        DnsCache.Key key = new DnsCache.Key(name, type);
        Instant now = clock.instant();
        Optional<DnsAnswer> cached = cache.get(key, now);
        if (cached.isPresent()) return cached.get();
        Resolution r = resolve(name, type);
        if (!(r.answer() instanceof DnsAnswer.Failed)) cache.put(key, r.answer(), now, now.plus(r.ttl()));
        return r.answer();
    }

    int cacheSize() {
        return cache.size();
    }

    private record Resolution(DnsAnswer answer, Duration ttl) {}

    private Resolution resolve(Name name, int type) {
        String question = name + "/" + Type.string(type);
        Name current = name;
        Duration ttl = MAX_TTL;
        int hops = 0;
        while (true) {
            Message response;
            try {
                response = send(current, type);
            } catch (IOException e) {
                log.debug("DNS query {} failed: {}", question, e.toString());
                return failed("DNS query " + question + " failed: " + e.getMessage());
            }
            int rcode = response.getRcode();
            if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
                return failed("DNS query " + question + " failed: " + Rcode.string(rcode));
            }
            List<Record> answer = response.getSection(Section.ANSWER);
            boolean aliased = false;
            while (true) {
                List<Record> rrset = matching(answer, current, type);
                if (!rrset.isEmpty()) {
                    return new Resolution(new DnsAnswer.Records(current, rrset), min(ttl, smallestTtl(rrset)));
                }
                Optional<CNAMERecord> cname = alias(answer, current);
                if (cname.isEmpty()) break;
                if (++hops > MAX_CNAME_HOPS) {
                    return failed("DNS query " + question + ": more than " + MAX_CNAME_HOPS + " CNAMEs (a loop?)");
                }
                ttl = min(ttl, seconds(cname.get().getTTL()));
                current = cname.get().getTarget();
                aliased = true;
            }
            // RFC 6604 §3: with CNAMEs in the answer, the RCODE speaks of the last name in the chain.
            if (rcode == Rcode.NXDOMAIN) return new Resolution(new DnsAnswer.NoSuchName(current), min(ttl, negativeTtl(response)));
            if (aliased) continue;          // the alias came without its target's records: ask for the target
            return new Resolution(new DnsAnswer.NoData(current), min(ttl, negativeTtl(response)));
        }
    }

    private static Optional<CNAMERecord> alias(List<Record> answer, Name owner) {
        for (Record r : answer) {
            if (r instanceof CNAMERecord c && c.getName().equals(owner)) return Optional.of(c);
        }
        return Optional.empty();
    }

    /**
     * Sends {@code name}/{@code type} to each server in turn, {@code 1 + retries} rounds. A server that answers
     * SERVFAIL or REFUSED is not asked again (it would say the same) but the next one is, as glibc does.
     */
    private Message send(Name name, int type) throws IOException {
        if (resolvers.isEmpty()) throw new IOException("no DNS servers configured");
        Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
        boolean[] done = new boolean[resolvers.size()];
        Message refusal = null;
        IOException error = null;
        for (int round = 0; round <= retries; round++) {
            for (int i = 0; i < resolvers.size(); i++) {
                if (done[i]) continue;
                try {
                    Message response = resolvers.get(i).send(query);
                    int rcode = response.getRcode();
                    if (rcode == Rcode.NOERROR || rcode == Rcode.NXDOMAIN) return response;
                    done[i] = true;
                    refusal = response;
                } catch (IOException e) {
                    error = e;
                }
            }
        }
        if (refusal != null) return refusal;
        throw error;
    }

    private static List<Record> matching(List<Record> answer, Name owner, int type) {
        return answer.stream().filter(r -> r.getType() == type && r.getName().equals(owner)).toList();
    }

    /** RFC 2308 §5: a negative answer lives for the smaller of the SOA's TTL and its MINIMUM field. */
    private static Duration negativeTtl(Message response) {
        return response.getSection(Section.AUTHORITY).stream()
                .filter(r -> r instanceof SOARecord)
                .map(r -> (SOARecord) r)
                .map(soa -> min(min(seconds(soa.getTTL()), seconds(soa.getMinimum())), MAX_NEGATIVE_TTL))
                .findFirst()
                .orElse(DEFAULT_NEGATIVE_TTL);
    }

    private static Duration smallestTtl(List<Record> records) {
        return records.stream().map(r -> seconds(r.getTTL())).reduce(MAX_TTL, DnsClient::min);
    }

    private static Duration seconds(long ttl) {
        return Duration.ofSeconds(ttl);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Resolution failed(String reason) {
        return new Resolution(new DnsAnswer.Failed(reason), Duration.ZERO);
    }
}
