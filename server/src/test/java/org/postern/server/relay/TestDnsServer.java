package org.postern.server.relay;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Master;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * A DNS server for tests on 127.0.0.1 (UDP and TCP on the same port), answering like a recursive resolver
 * from the records a test adds: CNAMEs followed within its data, NXDOMAIN for names it has nothing at or under,
 * NODATA otherwise, each negative answer with an SOA (TTL and MINIMUM {@link #negativeTtl}). On demand it
 * answers SERVFAIL, stays silent (a timeout), or truncates every UDP answer (the client must ask again over TCP).
 * It counts the questions it gets.
 *
 * <pre>{@code
 * try (var dns = TestDnsServer.start().mx("a.test", "mx.a.test", "127.0.0.2").mx("b.test", "mx.b.test", "127.0.0.3")) {
 *     MxResolver atA = dns.resolver(new OwnHosts(Set.of("mx.a.test"), Set.of(InetAddress.ofLiteral("127.0.0.2"))));
 *     MxResolver atB = dns.resolver(new OwnHosts(Set.of("mx.b.test"), Set.of(InetAddress.ofLiteral("127.0.0.3"))));
 *     ...
 * }
 * }</pre>
 */
public final class TestDnsServer implements AutoCloseable {
    /** TTL of records added without one. */
    public static final long DEFAULT_TTL = 300;
    /** RFC 1035 §4.2.1: a UDP answer is at most 512 bytes unless EDNS (RFC 6891 §6.2.3) announces more. */
    private static final int UDP_LIMIT = 512;
    private static final int MAX_CNAMES = 8;

    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final List<Record> records = new CopyOnWriteArrayList<>();
    private final Set<Name> failing = ConcurrentHashMap.newKeySet();
    private final Set<Name> silent = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final AtomicInteger tcpQueries = new AtomicInteger();
    private volatile boolean truncateUdp;
    private volatile boolean chaseCnames = true;
    private volatile long negativeTtl = DEFAULT_TTL;
    private volatile boolean soa = true;

    private TestDnsServer(DatagramSocket udp, ServerSocket tcp) {
        this.udp = udp;
        this.tcp = tcp;
        Thread.ofVirtual().name("test-dns-udp").start(this::serveUdp);
        Thread.ofVirtual().name("test-dns-tcp").start(this::serveTcp);
    }

    /** Binds UDP to 127.0.0.1:0, then TCP to the same port (again with another port if that one is taken). */
    public static TestDnsServer start() throws IOException {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        for (int attempt = 0; ; attempt++) {
            DatagramSocket udp = new DatagramSocket(new InetSocketAddress(loopback, 0));
            try {
                return new TestDnsServer(udp, new ServerSocket(udp.getLocalPort(), 50, loopback));
            } catch (BindException e) {
                udp.close();
                if (attempt == 10) throw e;
            }
        }
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(udp.getLocalAddress(), udp.getLocalPort());
    }

    /** This server only, a 2 s timeout and no retry: a test that waits longer has a bug. */
    public DnsSettings settings() {
        return new DnsSettings(List.of(address()), Duration.ofSeconds(2), 0);
    }

    /** An MX resolver asking this server, system clock, unseeded random: what a two-server delivery test needs. */
    public MxResolver resolver(OwnHosts own) {
        return new MxResolver(settings(), own, Clock.systemUTC(), new Random());
    }

    /** Records in zone-file syntax, names absolute with or without the final dot, TTL optional:
     *  {@code "b.test. 60 IN MX 10 mx.b.test."}, {@code "mx.b.test A 127.0.0.3"}. */
    public TestDnsServer add(String... zoneLines) {
        for (String line : zoneLines) {
            try (Master master = new Master(new ByteArrayInputStream(line.getBytes(US_ASCII)), Name.root, DEFAULT_TTL)) {
                for (Record r = master.nextRecord(); r != null; r = master.nextRecord()) records.add(r);
            } catch (IOException e) {
                throw new UncheckedIOException("bad zone line: " + line, e);
            }
        }
        return this;
    }

    public TestDnsServer add(Record... more) {
        records.addAll(List.of(more));
        return this;
    }

    /** MX 10 for {@code domain} pointing at {@code host}, and the host's A/AAAA record(s). */
    public TestDnsServer mx(String domain, String host, String... addresses) {
        return mx(domain, 10, host, addresses);
    }

    public TestDnsServer mx(String domain, int preference, String host, String... addresses) {
        add(domain + ". MX " + preference + " " + host + ".");
        return addresses.length == 0 ? this : address(host, addresses);
    }

    /** A record for each IPv4 literal, AAAA for each IPv6 one. */
    public TestDnsServer address(String host, String... addresses) {
        for (String a : addresses) {
            InetAddress ip = InetAddress.ofLiteral(a);
            add(host + ". " + (ip instanceof Inet4Address ? "A " : "AAAA ") + ip.getHostAddress());
        }
        return this;
    }

    /** The RFC 7505 null MX: "domain. MX 0 .". */
    public TestDnsServer nullMx(String domain) {
        return add(domain + ". MX 0 .");
    }

    /** Questions for {@code name} are answered SERVFAIL. */
    public TestDnsServer servfail(String name) {
        failing.add(name(name));
        return this;
    }

    /** Questions for {@code name} get no answer at all, so the client times out. */
    public TestDnsServer silent(String name) {
        silent.add(name(name));
        return this;
    }

    /** Every UDP answer comes back empty with TC set (RFC 1035 §4.2.1), so the client must use TCP. */
    public TestDnsServer truncateUdp(boolean on) {
        truncateUdp = on;
        return this;
    }

    /** Off: a CNAME is answered alone, as an authoritative server does for a target in another zone. */
    public TestDnsServer chaseCnames(boolean on) {
        chaseCnames = on;
        return this;
    }

    /** TTL and MINIMUM of the SOA sent with NXDOMAIN and NODATA answers (RFC 2308 §5). */
    public TestDnsServer negativeTtl(long seconds) {
        negativeTtl = seconds;
        return this;
    }

    /** Negative answers without an SOA. */
    public TestDnsServer withoutSoa() {
        soa = false;
        return this;
    }

    /** Forgets all records (not the counts), so a test can change its DNS. */
    public TestDnsServer clear() {
        records.clear();
        return this;
    }

    /** Questions received for {@code name}/{@code type} (e.g. {@code Type.MX}), over UDP and TCP. */
    public int queries(String name, int type) {
        AtomicInteger n = counts.get(key(name(name), type));
        return n == null ? 0 : n.get();
    }

    /** Questions received for any name. */
    public int queries() {
        return counts.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    public int tcpQueries() {
        return tcpQueries.get();
    }

    @Override
    public void close() throws IOException {
        udp.close();
        tcp.close();
    }

    private void serveUdp() {
        byte[] buf = new byte[65535];
        while (!udp.isClosed()) {
            try {
                DatagramPacket packet = new DatagramPacket(buf, buf.length);
                udp.receive(packet);
                Message query = new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
                Message response = answer(query);
                if (response == null) continue;
                OPTRecord opt = query.getOPT();
                int limit = opt == null ? UDP_LIMIT : Math.max(UDP_LIMIT, opt.getPayloadSize());
                byte[] wire = truncateUdp ? truncated(response) : response.toWire(limit);
                udp.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
            } catch (IOException e) {
                if (udp.isClosed()) return;             // closed by close(): done
                // a malformed packet: ignore it, as a server would
            }
        }
    }

    private void serveTcp() {
        while (!tcp.isClosed()) {
            try {
                Socket socket = tcp.accept();
                Thread.ofVirtual().name("test-dns-tcp-connection").start(() -> serveTcp(socket));
            } catch (IOException e) {
                return;                                 // closed by close()
            }
        }
    }

    /** RFC 1035 §4.2.2: each message preceded by its two-byte length; several per connection. */
    private void serveTcp(Socket socket) {
        try (socket) {
            var in = new DataInputStream(socket.getInputStream());
            var out = new DataOutputStream(socket.getOutputStream());
            while (true) {
                byte[] bytes = new byte[in.readUnsignedShort()];
                in.readFully(bytes);
                tcpQueries.incrementAndGet();
                Message response = answer(new Message(bytes));
                if (response == null) continue;
                byte[] wire = response.toWire();
                out.writeShort(wire.length);
                out.write(wire);
                out.flush();
            }
        } catch (EOFException e) {
            // the client is done
        } catch (IOException e) {
            // the client went away
        }
    }

    /** The response to {@code query}, or null to stay silent. */
    private Message answer(Message query) {
        Record question = query.getQuestion();
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setFlag(Flags.RA);
        if (query.getHeader().getFlag(Flags.RD)) response.getHeader().setFlag(Flags.RD);
        if (question == null) {
            response.getHeader().setRcode(Rcode.FORMERR);
            return response;
        }
        response.addRecord(question, Section.QUESTION);
        if (query.getOPT() != null) response.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
        Name name = question.getName();
        int type = question.getType();
        counts.computeIfAbsent(key(name, type), k -> new AtomicInteger()).incrementAndGet();
        if (silent.contains(name)) return null;
        if (failing.contains(name)) {
            response.getHeader().setRcode(Rcode.SERVFAIL);
            return response;
        }
        Name current = name;
        for (int hops = 0; hops <= MAX_CNAMES; hops++) {
            List<Record> found = at(current, type);
            if (!found.isEmpty()) {
                found.forEach(r -> response.addRecord(r, Section.ANSWER));
                return response;
            }
            List<Record> alias = at(current, Type.CNAME);
            if (alias.isEmpty()) break;
            response.addRecord(alias.getFirst(), Section.ANSWER);
            current = ((CNAMERecord) alias.getFirst()).getTarget();
            if (!chaseCnames) return response;
        }
        if (!exists(current)) response.getHeader().setRcode(Rcode.NXDOMAIN);
        if (soa) response.addRecord(soa(current), Section.AUTHORITY);
        return response;
    }

    private List<Record> at(Name name, int type) {
        List<Record> found = new ArrayList<>();
        for (Record r : records) if (r.getName().equals(name) && r.getType() == type) found.add(r);
        return found;
    }

    /** A name exists if it owns records or is above one that does (an empty non-terminal, RFC 8020). */
    private boolean exists(Name name) {
        return records.stream().anyMatch(r -> r.getName().subdomain(name));
    }

    /** The SOA of the zone {@code name} is in: its last two labels ("b.test." for "x.y.b.test."). */
    private SOARecord soa(Name name) {
        Name zone = name.labels() <= 3 ? name : new Name(name, name.labels() - 3);
        try {
            return new SOARecord(zone, DClass.IN, negativeTtl, Name.fromString("ns", zone),
                    Name.fromString("hostmaster", zone), 1, 3600, 600, 86400, negativeTtl);
        } catch (TextParseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Header and question only, TC set. */
    private static byte[] truncated(Message response) {
        Message cut = new Message(response.getHeader().getID());
        cut.getHeader().setFlag(Flags.QR);
        cut.getHeader().setFlag(Flags.TC);
        cut.addRecord(response.getQuestion(), Section.QUESTION);
        return cut.toWire();
    }

    private static Name name(String text) {
        try {
            return Name.fromString(text.endsWith(".") ? text : text + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    private static String key(Name name, int type) {
        return name.toString().toLowerCase(Locale.ROOT) + "/" + Type.string(type);
    }
}
