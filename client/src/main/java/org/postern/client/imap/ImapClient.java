package org.postern.client.imap;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.postern.client.net.Connection;
import org.postern.client.net.Endpoint;
import org.postern.client.net.ProtocolException;
import org.postern.wire.Secret;
import org.postern.wire.imap.ModifiedUtf7;
import org.postern.wire.sasl.SaslPlain;

/**
 * An IMAP client (RFC 9051 and RFC 3501, with ENABLE, UIDPLUS, MOVE, CONDSTORE, QRESYNC, LITERAL+, SASL-IR,
 * UTF8=ACCEPT when the server offers them). One connection, one thread. Every method sends its command, reads
 * to the tagged answer, and throws {@link org.postern.client.net.ProtocolException} on NO/BAD with the server's
 * text. Untagged EXISTS/EXPUNGE/VANISHED/FETCH that arrive meanwhile are collected, not lost
 * ({@link #drainUnsolicited()}).
 *
 * <p>Implementation notes:
 * <ul>
 * <li>Every string we send goes through {@link Args}: an atom when it is one, a quoted string when it can be,
 *     a literal otherwise (CR, LF, NUL, 8-bit without UTF-8), so no argument can end the command line early or
 *     add a command of its own. Literals are non-synchronizing with LITERAL+ (RFC 7888), or LITERAL- up to 4096
 *     octets; otherwise we wait for the server's "+" before sending the bytes (RFC 9051 §4.3).</li>
 * <li>Responses are parsed by {@link ResponseReader}; a message body (BODY[]) is streamed from the socket to the
 *     caller, never held in memory. A malformed response, a timeout or an exception from a body consumer leaves
 *     the connection out of step: it is closed and every later call fails.</li>
 * <li>Mailbox names are modified UTF-7 (RFC 3501 §5.1.3) on the wire, or UTF-8 once UTF8=ACCEPT is enabled
 *     (RFC 6855 §3).</li>
 * <li>The password is sent only over TLS unless the caller allows plaintext, and never to a server that says
 *     LOGINDISABLED (RFC 9051 §6.2.3).</li>
 * </ul>
 */
public final class ImapClient implements AutoCloseable {
    /** LITERAL- (RFC 7888 §4): non-synchronizing literals of at most this many octets. */
    static final int LITERAL_MINUS_MAX = 4096;

    private final Connection conn;
    private ResponseReader reader;
    private Set<String> capabilities = Set.of();
    private final Set<String> enabled = new LinkedHashSet<>();
    private final List<Unsolicited> unsolicited = new ArrayList<>();
    private int tags;
    private Optional<String> bye = Optional.empty();
    private long highestModseqSeen;

    private ImapClient(Connection conn) {
        this.conn = conn;
        this.reader = new ResponseReader(conn.in());
    }

    /** Connects, reads the greeting, upgrades with STARTTLS when the endpoint says so, reads CAPABILITY. */
    public static ImapClient connect(Endpoint endpoint, Duration timeout) throws IOException {
        Connection conn = Connection.open(endpoint, timeout);
        ImapClient c = new ImapClient(conn);
        try {
            c.greeting();
            if (endpoint.security() == Endpoint.Security.STARTTLS) c.startTls();
            if (c.capabilities.isEmpty()) c.capability();
            return c;
        } catch (IOException | RuntimeException e) {
            conn.close();
            throw e;
        }
    }

    private void greeting() throws IOException {
        Response r = guarded(() -> reader.next());
        switch (r) {
            case Response.Status s when s.condition() == Response.Condition.OK -> capabilitiesFrom(s.code());
            case Response.Status s when s.condition() == Response.Condition.PREAUTH -> {
                // RFC 9051 §6.2.1: STARTTLS is not possible after PREAUTH; a client that needs TLS must close.
                if (conn.endpoint().security() == Endpoint.Security.STARTTLS)
                    throw new ProtocolException(conn.where() + " greeted with PREAUTH, so STARTTLS cannot be used; "
                            + "not continuing without TLS");
                capabilitiesFrom(s.code());
            }
            case Response.Status s when s.condition() == Response.Condition.BYE ->
                    throw new ProtocolException(conn.where() + " refused the connection: " + s.text());
            default -> throw new ProtocolException(conn.where() + " did not greet like an IMAP server");
        }
    }

    /** RFC 9051 §6.2.1 STARTTLS: capabilities are forgotten and asked again after the handshake. */
    private void startTls() throws IOException {
        if (!has("STARTTLS") && capabilities.isEmpty()) capability();
        if (!has("STARTTLS"))
            throw new ProtocolException(conn.where() + " does not offer STARTTLS; not continuing without TLS");
        execute("STARTTLS", new Args().atom("STARTTLS"));
        guarded(() -> {
            conn.startTls();
            return null;
        });
        reader = new ResponseReader(conn.in());
        capabilities = Set.of();
        capability();
    }

    private void capability() throws IOException {
        Result r = execute("CAPABILITY", new Args().atom("CAPABILITY"));
        for (Response u : r.untagged()) if (u instanceof Response.Capability c) capabilities = Set.copyOf(c.capabilities());
        capabilitiesFrom(r.tagged().code());
        unsolicited(r.untagged());
    }

    private void capabilitiesFrom(Optional<Response.Code> code) {
        if (code.isPresent() && code.get() instanceof Response.Code.Capabilities c) capabilities = Set.copyOf(c.capabilities());
    }

    /** The server's capabilities, upper case, as last announced (refreshed after STARTTLS and login). */
    public Set<String> capabilities() {
        return capabilities;
    }

    public boolean has(String capability) {
        return capabilities.contains(capability.toUpperCase(Locale.ROOT));
    }

    /** Whether the connection is TLS-protected (implicit TLS or after STARTTLS). */
    public boolean isTls() {
        return conn.isTls();
    }

    /**
     * AUTHENTICATE PLAIN (with SASL-IR when offered), else LOGIN. Refuses (without sending the password) on a
     * connection without TLS unless {@code allowPlaintext}; refuses when the server says LOGINDISABLED. A refused
     * login is an {@link org.postern.client.net.AuthenticationException}.
     */
    public void login(String user, char[] password, boolean allowPlaintext) throws IOException {
        conn.checkPasswordMayBeSent(allowPlaintext);
        if (has("LOGINDISABLED"))
            throw new ProtocolException(conn.where() + " does not allow login on this connection (LOGINDISABLED)");
        Secret secret = new Secret(password.clone());
        Result r;
        try {
            r = authenticate(user, secret);
        } catch (ProtocolException e) {
            // a tagged NO/BAD (the connection is still usable); a broken stream is not a wrong password
            if (conn.isBroken()) throw e;
            throw new org.postern.client.net.AuthenticationException(e.getMessage());
        } finally {
            secret.wipe();
        }
        capabilities = Set.of();
        capabilitiesFrom(r.tagged().code());
        for (Response u : r.untagged()) if (u instanceof Response.Capability c) capabilities = Set.copyOf(c.capabilities());
        if (capabilities.isEmpty()) capability();
    }

    private Result authenticate(String user, Secret secret) throws IOException {
        if (!has("AUTH=PLAIN")) return execute("LOGIN", new Args().atom("LOGIN").astring(user).astring(secret.reveal()));
        String initial = SaslPlain.encode(user, secret);
        if (has("SASL-IR")) {
            // RFC 4959: the initial response on the command line
            return execute("AUTHENTICATE PLAIN", new Args().atom("AUTHENTICATE PLAIN").raw(initial));
        }
        return execute("AUTHENTICATE PLAIN", new Args().atom("AUTHENTICATE PLAIN").response(initial));
    }

    /** ENABLE (RFC 5161) the ones offered among {@code extensions}; returns those the server enabled. */
    public Set<String> enable(String... extensions) throws IOException {
        Args a = new Args().atom("ENABLE");
        int n = 0;
        for (String e : extensions) {
            String x = e.toUpperCase(Locale.ROOT);
            if (!x.matches("[A-Z0-9=+._-]+")) throw new IllegalArgumentException("not an extension name: " + e);
            if (has(x) || x.equals("CONDSTORE") && has("QRESYNC")) {
                a.atom(x);
                n++;
            }
        }
        if (n == 0 || !has("ENABLE")) return Set.of();
        Result r = execute("ENABLE", a);
        Set<String> now = new LinkedHashSet<>();
        for (Response u : r.untagged()) if (u instanceof Response.Enabled e) now.addAll(e.extensions());
        enabled.addAll(now);
        if (now.contains("QRESYNC")) enabled.add("CONDSTORE");    // RFC 7162 §3.2.3: QRESYNC implies CONDSTORE
        unsolicited(r.untagged());
        return Collections.unmodifiableSet(now);
    }

    /** The extensions enabled so far (ENABLE answers). */
    public Set<String> enabled() {
        return Collections.unmodifiableSet(enabled);
    }

    private boolean utf8() {
        return enabled.contains("UTF8=ACCEPT") || enabled.contains("IMAP4REV2");
    }

    private boolean condstore() {
        return has("CONDSTORE") || has("QRESYNC");
    }

    /** LIST "" "*" (with RETURN (SPECIAL-USE) when offered); names decoded from modified UTF-7 unless UTF-8 is on. */
    public List<RemoteFolder> list() throws IOException {
        Args a = new Args().atom("LIST").quoted("").quoted("*");
        // RFC 6154 §5.1: RETURN (SPECIAL-USE) needs LIST-EXTENDED (RFC 5258)
        if (has("SPECIAL-USE") && has("LIST-EXTENDED")) a.atom("RETURN (SPECIAL-USE)");
        Result r = execute("LIST", a);
        List<RemoteFolder> out = new ArrayList<>();
        List<Response> rest = new ArrayList<>();
        for (Response u : r.untagged()) {
            if (u instanceof Response.ListItem l) {
                out.add(new RemoteFolder(decodeName(l.name()), l.delimiter(), Set.copyOf(l.attributes())));
            } else {
                rest.add(u);
            }
        }
        unsolicited(rest);
        return out;
    }

    private String decodeName(String wire) throws ProtocolException {
        if (utf8()) return wire;
        try {
            return ModifiedUtf7.decode(wire);
        } catch (IllegalArgumentException e) {
            throw new ProtocolException(conn.where() + " sent a mailbox name that is not modified UTF-7: " + e.getMessage());
        }
    }

    private String encodeName(String name) {
        return utf8() ? name : ModifiedUtf7.encode(name);
    }

    public void create(String folder) throws IOException {
        unsolicited(execute("CREATE", new Args().atom("CREATE").astring(encodeName(folder))).untagged());
    }

    /**
     * SELECT (read-write), with {@code (QRESYNC (uidvalidity modseq known-uids))} when {@code known} is present and
     * QRESYNC is enabled, else {@code (CONDSTORE)} when offered. The answer carries VANISHED (EARLIER) and the
     * FETCH flag changes the server sent during the SELECT.
     */
    public Selected select(String folder, Optional<Qresync> known) throws IOException {
        Args a = new Args().atom("SELECT").astring(encodeName(folder));
        if (known.isPresent() && enabled.contains("QRESYNC") && known.get().uidValidity() > 0 && known.get().modseq() > 0) {
            Qresync q = known.get();
            String uids = q.knownUids().toString();
            // RFC 7162 §3.2.5: known-uids is optional; a set too long for a command line is left out
            a.atom("(QRESYNC (" + q.uidValidity() + " " + q.modseq()
                    + (uids.isEmpty() || uids.length() > ImapClientLimits.MAX_UID_SET_CHARS ? "" : " " + uids) + "))");
        } else if (condstore()) {
            a.atom("(CONDSTORE)");
        }
        highestModseqSeen = 0;
        Result r = execute("SELECT", a);
        long uidValidity = 0, uidNext = 0, exists = 0, highest = 0;
        UidSet vanished = UidSet.empty();
        Map<Long, FlagsRow> changed = new LinkedHashMap<>();
        List<Response> rest = new ArrayList<>();
        for (Response u : r.untagged()) {
            switch (u) {
                case Response.Exists e -> exists = e.count();
                case Response.Status s when s.code().isPresent() -> {
                    switch (s.code().get()) {
                        case Response.Code.UidValidity v -> uidValidity = v.value();
                        case Response.Code.UidNext n -> uidNext = n.value();
                        case Response.Code.HighestModseq h -> highest = h.value();
                        case Response.Code.NoModseq n -> highest = 0;
                        default -> { }
                    }
                }
                case Response.Vanished v when v.earlier() -> vanished = vanished.union(v.uids());
                case Response.Fetch f when f.uid().isPresent() && f.flags().isPresent() ->
                        latest(changed, new FlagsRow(f.uid().getAsLong(), Set.copyOf(f.flags().get()), f.modseq().orElse(0)));
                default -> rest.add(u);
            }
        }
        if (r.tagged().code().isPresent() && r.tagged().code().get() instanceof Response.Code.HighestModseq h) highest = h.value();
        unsolicited(rest);
        return new Selected(folder, uidValidity, uidNext, exists, highest, vanished, List.copyOf(changed.values()));
    }

    /**
     * UID FETCH 1:* (UID FLAGS MODSEQ) (CHANGEDSINCE m VANISHED) — VANISHED only with QRESYNC enabled. The answer's
     * {@code highestModseq} is the highest MODSEQ among the rows (and any HIGHESTMODSEQ the server announced since
     * SELECT), at least {@code modseq}: expunges alone do not raise it, so they are reported again by the next call
     * from the same value, which is harmless. For the mailbox's own value use {@link Selected#highestModseq()}.
     */
    public Changes changedSince(long modseq) throws IOException {
        if (!condstore()) throw new ProtocolException(conn.where() + " has no CONDSTORE; CHANGEDSINCE cannot be used");
        // RFC 7162 §3.1.4.1 CHANGEDSINCE; §3.2.6 VANISHED modifier (QRESYNC enabled only)
        String modifier = "(CHANGEDSINCE " + modseq + (enabled.contains("QRESYNC") ? " VANISHED)" : ")");
        Result r = execute("UID FETCH", new Args().atom("UID FETCH 1:* (UID FLAGS MODSEQ) " + modifier));
        Map<Long, FlagsRow> rows = new LinkedHashMap<>();
        UidSet vanished = UidSet.empty();
        long highest = modseq;
        List<Response> rest = new ArrayList<>();
        for (Response u : r.untagged()) {
            switch (u) {
                case Response.Fetch f when f.uid().isPresent() && f.flags().isPresent() -> {
                    long m = f.modseq().orElse(0);
                    latest(rows, new FlagsRow(f.uid().getAsLong(), Set.copyOf(f.flags().get()), m));
                    highest = Math.max(highest, m);
                }
                case Response.Vanished v when v.earlier() -> vanished = vanished.union(v.uids());
                default -> rest.add(u);
            }
        }
        unsolicited(rest);
        return new Changes(vanished, List.copyOf(rows.values()), Math.max(highest, highestModseqSeen));
    }

    /**
     * Keeps one row per UID, the one with the highest MODSEQ (the last one without CONDSTORE): a change made during
     * the command comes as an unsolicited FETCH besides the answer (RFC 7162 §3.2.4).
     */
    private static void latest(Map<Long, FlagsRow> rows, FlagsRow row) {
        rows.merge(row.uid(), row, (old, now) -> now.modseq() >= old.modseq() ? now : old);
    }

    /** UID FETCH uids (UID FLAGS [MODSEQ]): every message's flags, for the full compare without CONDSTORE. */
    public List<FlagsRow> flags(UidSet uids) throws IOException {
        Map<Long, FlagsRow> rows = new LinkedHashMap<>();
        for (UidSet chunk : uids.chunks(ImapClientLimits.MAX_UID_SET_CHARS)) {
            Result r = execute("UID FETCH", new Args().atom("UID FETCH " + chunk + (condstore() ? " (UID FLAGS MODSEQ)" : " (UID FLAGS)")));
            List<Response> rest = new ArrayList<>();
            for (Response u : r.untagged()) {
                if (u instanceof Response.Fetch f && f.uid().isPresent() && f.flags().isPresent() && chunk.contains(f.uid().getAsLong())) {
                    latest(rows, new FlagsRow(f.uid().getAsLong(), Set.copyOf(f.flags().get()), f.modseq().orElse(0)));
                } else {
                    rest.add(u);
                }
            }
            unsolicited(rest);
        }
        return List.copyOf(rows.values());
    }

    /** UID SEARCH with the criteria as IMAP text the caller built (e.g. "ALL", "UID 1:*"); returns ascending UIDs. */
    public List<Long> uidSearch(String criteria) throws IOException {
        for (int i = 0; i < criteria.length(); i++) {
            char c = criteria.charAt(i);
            if (c < 0x20 || c > 0x7e)
                throw new IllegalArgumentException("search criteria must be printable ASCII on one line (use uidSearchHeader for values)");
        }
        return search(new Args().atom("UID SEARCH " + criteria));
    }

    /** UID SEARCH HEADER field value, the value sent as a quoted string or literal (never spliced raw). */
    public List<Long> uidSearchHeader(String field, String value) throws IOException {
        if (field.isEmpty() || !field.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != ':'))
            throw new IllegalArgumentException("not a header field name: " + field);
        Args a = new Args().atom("UID SEARCH");
        // RFC 9051 §6.4.4: a non-ASCII value needs a charset, unless UTF-8 is enabled (RFC 6855 §3)
        if (!utf8() && !value.chars().allMatch(c -> c < 0x80)) a.atom("CHARSET UTF-8");
        return search(a.atom("HEADER").astring(field).string(value));
    }

    private List<Long> search(Args a) throws IOException {
        Result r = execute("UID SEARCH", a);
        TreeSet<Long> uids = new TreeSet<>();
        List<Response> rest = new ArrayList<>();
        for (Response u : r.untagged()) {
            if (u instanceof Response.Search s) uids.addAll(s.numbers());
            else rest.add(u);
        }
        unsolicited(rest);
        return List.copyOf(uids);
    }

    /**
     * UID FETCH uids (UID FLAGS INTERNALDATE RFC822.SIZE [MODSEQ] BODY.PEEK[]); each message's body streamed
     * from the literal into {@code consumer} (which may read less; the rest is skipped). Never holds a whole
     * message in memory. An exception from the consumer ends the connection (it is mid-response).
     *
     * <p>Servers write FETCH items in their own order (Postern puts MODSEQ last, after the body), so the items are
     * asked for first, per chunk, and the bodies then: the consumer gets each message's items before its bytes.
     * A message expunged between the two is not passed on. Should a server send the body before the UID, the body
     * is spooled to a temporary file until the response is complete.
     */
    public void fetchMessages(UidSet uids, MessageConsumer consumer) throws IOException {
        for (UidSet chunk : uids.chunks(ImapClientLimits.MAX_UID_SET_CHARS)) {
            Map<Long, FetchedMessage> items = new HashMap<>();
            Result first = execute("UID FETCH", new Args().atom("UID FETCH " + chunk + " (UID FLAGS INTERNALDATE RFC822.SIZE"
                    + (condstore() ? " MODSEQ)" : ")")));
            List<Response> rest = new ArrayList<>();
            for (Response u : first.untagged()) {
                if (u instanceof Response.Fetch f && f.uid().isPresent() && chunk.contains(f.uid().getAsLong())
                        && f.internalDate().isPresent() && f.size().isPresent()) {
                    items.put(f.uid().getAsLong(), message(f));
                } else {
                    rest.add(u);
                }
            }
            unsolicited(rest);
            if (items.isEmpty()) continue;

            Map<Long, Path> spooled = new HashMap<>();      // by sequence number: bodies that came before their UID
            ResponseReader.BodySink sink = (soFar, section, body) -> {
                if (!section.equals("BODY[]")) return;
                if (soFar.uid().isPresent()) {
                    FetchedMessage m = items.remove(soFar.uid().getAsLong());
                    if (m != null) consumer.accept(m, body);
                } else {
                    Path tmp = Files.createTempFile("postern-imap-", ".eml");
                    spooled.put(soFar.sequence(), tmp);
                    try (OutputStream out = Files.newOutputStream(tmp)) {
                        body.transferTo(out);
                    }
                }
            };
            try {
                Result r = execute("UID FETCH", new Args().atom("UID FETCH " + UidSet.of(items.keySet()) + " (UID BODY.PEEK[])"), sink);
                rest = new ArrayList<>();
                for (Response u : r.untagged()) {
                    if (u instanceof Response.Fetch f && spooled.containsKey(f.sequence())) {
                        Path tmp = spooled.remove(f.sequence());
                        FetchedMessage m = f.uid().isPresent() ? items.remove(f.uid().getAsLong()) : null;
                        if (m != null) {
                            try (InputStream in = Files.newInputStream(tmp)) {
                                consumer.accept(m, in);
                            }
                        }
                        Files.deleteIfExists(tmp);
                    } else if (!(u instanceof Response.Fetch f && f.uid().isPresent() && chunk.contains(f.uid().getAsLong())
                            && f.flags().isEmpty())) {
                        rest.add(u);
                    }
                }
                unsolicited(rest);
            } finally {
                for (Path p : spooled.values()) Files.deleteIfExists(p);
            }
        }
    }

    private static FetchedMessage message(Response.Fetch f) {
        return new FetchedMessage(f.uid().getAsLong(), Set.copyOf(f.flags().orElse(Set.of())),
                f.internalDate().orElseThrow(), f.size().getAsLong(), f.modseq().orElse(0));
    }

    /** UID STORE uids +FLAGS.SILENT / -FLAGS.SILENT (flags); never a FLAGS replace. */
    public void store(UidSet uids, boolean add, Set<String> flags) throws IOException {
        if (flags.isEmpty() || uids.isEmpty()) return;
        String list = Args.flagList(flags);
        for (UidSet chunk : uids.chunks(ImapClientLimits.MAX_UID_SET_CHARS)) {
            unsolicited(execute("UID STORE", new Args().atom("UID STORE " + chunk + (add ? " +FLAGS.SILENT " : " -FLAGS.SILENT ") + list))
                    .untagged());
        }
    }

    /** UID MOVE (RFC 6851), or UID COPY + \Deleted + UID EXPUNGE; returns old UID -> new UID from COPYUID (empty if none). */
    public Map<Long, Long> move(UidSet uids, String target) throws IOException {
        if (!has("MOVE")) {
            Map<Long, Long> copied = copy(uids, target);
            store(uids, true, Set.of("\\Deleted"));
            if (has("UIDPLUS")) {
                uidExpunge(uids);
            } else if (uidSearch("DELETED").stream().allMatch(uids::contains)) {
                // Without UIDPLUS, EXPUNGE removes every \Deleted message: only when no other one is marked
                expunge();
            }
            return copied;
        }
        Map<Long, Long> map = new LinkedHashMap<>();
        for (UidSet chunk : uids.chunks(ImapClientLimits.MAX_UID_SET_CHARS)) {
            Result r = execute("UID MOVE", new Args().atom("UID MOVE " + chunk).astring(encodeName(target)));
            List<Response> rest = new ArrayList<>();
            for (Response u : r.untagged()) {
                // RFC 6851 §4.3: COPYUID comes in an untagged OK before the expunges
                if (u instanceof Response.Status s && s.code().isPresent() && s.code().get() instanceof Response.Code.CopyUid c) {
                    pair(c, map);
                } else {
                    rest.add(u);
                }
            }
            if (r.tagged().code().isPresent() && r.tagged().code().get() instanceof Response.Code.CopyUid c) pair(c, map);
            unsolicited(rest);
        }
        return map;
    }

    /** UID COPY; returns old UID -> new UID from COPYUID (empty if the server has no UIDPLUS). */
    public Map<Long, Long> copy(UidSet uids, String target) throws IOException {
        Map<Long, Long> map = new LinkedHashMap<>();
        for (UidSet chunk : uids.chunks(ImapClientLimits.MAX_UID_SET_CHARS)) {
            Result r = execute("UID COPY", new Args().atom("UID COPY " + chunk).astring(encodeName(target)));
            if (r.tagged().code().isPresent() && r.tagged().code().get() instanceof Response.Code.CopyUid c) pair(c, map);
            unsolicited(r.untagged());
        }
        return map;
    }

    private static void pair(Response.Code.CopyUid c, Map<Long, Long> map) {
        for (int i = 0; i < c.source().size(); i++) map.put(c.source().get(i), c.destination().get(i));
    }

    /** UID EXPUNGE uids (UIDPLUS); without UIDPLUS throws ProtocolException (the caller decides). */
    public void uidExpunge(UidSet uids) throws IOException {
        if (!has("UIDPLUS")) throw new ProtocolException(conn.where() + " has no UIDPLUS, so UID EXPUNGE cannot be used");
        for (UidSet chunk : uids.chunks(ImapClientLimits.MAX_UID_SET_CHARS)) {
            unsolicited(execute("UID EXPUNGE", new Args().atom("UID EXPUNGE " + chunk)).untagged());
        }
    }

    public void expunge() throws IOException {
        unsolicited(execute("EXPUNGE", new Args().atom("EXPUNGE")).untagged());
    }

    /** APPEND (LITERAL+ when offered); the APPENDUID answer when the server has UIDPLUS. */
    public Optional<AppendUid> append(String folder, Set<String> flags, Optional<Instant> internalDate, Path message)
            throws IOException {
        Args a = new Args().atom("APPEND").astring(encodeName(folder));
        if (!flags.isEmpty()) a.atom(Args.flagList(flags));
        internalDate.ifPresent(d -> a.quoted(ResponseReader.DATE_TIME_OUT.format(d.atZone(ZoneOffset.UTC))));
        a.file(message, Files.size(message));
        Result r = execute("APPEND", a);
        unsolicited(r.untagged());
        if (r.tagged().code().isPresent() && r.tagged().code().get() instanceof Response.Code.AppendUid u && !u.uids().isEmpty())
            return Optional.of(new AppendUid(u.uidValidity(), u.uids().max()));
        return Optional.empty();
    }

    public void noop() throws IOException {
        unsolicited(execute("NOOP", new Args().atom("NOOP")).untagged());
    }

    /** The untagged EXISTS/EXPUNGE/VANISHED/FETCH seen since the last call, in arrival order. */
    public List<Unsolicited> drainUnsolicited() {
        List<Unsolicited> out = List.copyOf(unsolicited);
        unsolicited.clear();
        return out;
    }

    /** LOGOUT, then close. */
    public void logout() throws IOException {
        try {
            if (conn.isUsable()) execute("LOGOUT", new Args().atom("LOGOUT"));
        } finally {
            close();
        }
    }

    @Override
    public void close() {
        conn.close();
    }

    // ---- commands and responses

    private record Result(Response.Tagged tagged, List<Response> untagged) {}

    /** {@link Connection#guarded}, and a closed connection after a BYE says what the server said. */
    private <T> T guarded(Connection.Io<T> io) throws IOException {
        try {
            return conn.guarded(io);
        } catch (java.io.EOFException e) {
            if (bye.isPresent()) throw new ProtocolException(conn.where() + " closed the connection: " + bye.get(), e);
            throw e;
        }
    }

    private Result execute(String what, Args args) throws IOException {
        return execute(what, args, (f, s, in) -> {});
    }

    /**
     * Sends the command and reads to its tagged answer; NO and BAD become a {@link ProtocolException} naming
     * {@code what} (never the arguments: they may hold a password) and the server's text.
     */
    private Result execute(String what, Args args, ResponseReader.BodySink sink) throws IOException {
        conn.checkUsable();
        String tag = "A" + (++tags);
        List<Response> untagged = new ArrayList<>();
        Response.Tagged done = guarded(() -> {
            Optional<Response.Tagged> early = send(tag, args, untagged);
            if (early.isPresent()) return early.get();
            while (true) {
                Response r = reader.next(sink);
                switch (r) {
                    case Response.Tagged t when t.tag().equals(tag) -> {
                        return t;
                    }
                    case Response.Tagged t -> throw new ProtocolException(conn.where() + " answered tag " + t.tag()
                            + ", which was not sent");
                    case Response.Continuation c -> throw new ProtocolException(conn.where()
                            + " asked for more data (\"+\") where none was due");
                    default -> note(r, untagged);
                }
            }
        });
        if (done.condition() != Response.Condition.OK) {
            String code = done.code().map(ImapClient::codeText).orElse("");
            throw new ProtocolException(what + " refused by " + conn.where() + ": " + done.condition() + " " + code
                    + sanitize(done.text()));
        }
        return new Result(done, untagged);
    }

    private static String codeText(Response.Code c) {
        String name = switch (c) {
            case Response.Code.Other o -> o.name();
            default -> c.getClass().getSimpleName().toUpperCase(Locale.ROOT);
        };
        return "[" + name + "] ";
    }

    private static String sanitize(String text) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < text.length() && i < 300; i++) {
            char c = text.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return b.toString();
    }

    private void note(Response r, List<Response> untagged) throws ProtocolException {
        if (untagged.size() >= ImapClientLimits.MAX_UNSOLICITED)
            throw new ProtocolException(conn.where() + " sent more than " + ImapClientLimits.MAX_UNSOLICITED
                    + " untagged responses to one command");
        if (r instanceof Response.Status s) {
            if (s.condition() == Response.Condition.BYE) bye = Optional.of(sanitize(s.text()));
            if (s.code().isPresent() && s.code().get() instanceof Response.Code.HighestModseq h)
                highestModseqSeen = Math.max(highestModseqSeen, h.value());
        }
        untagged.add(r);
    }

    /**
     * Writes the command. A synchronizing literal waits for "+"; if the server answers the tag instead (it
     * refused the literal, e.g. too big), that answer is returned and the rest is not sent.
     */
    private Optional<Response.Tagged> send(String tag, Args args, List<Response> untagged) throws IOException {
        OutputStream out = conn.out();
        out.write(tag.getBytes(US_ASCII));
        for (Args.Part p : args.parts) {
            switch (p) {
                case Args.Part.Text t -> out.write(t.text().getBytes(US_ASCII));
                case Args.Part.Literal l -> {
                    boolean nonSync = has("LITERAL+") || has("LITERAL-") && l.size() <= LITERAL_MINUS_MAX;
                    out.write(("{" + l.size() + (nonSync ? "+}" : "}") + "\r\n").getBytes(US_ASCII));
                    if (!nonSync) {
                        out.flush();
                        Optional<Response.Tagged> refused = awaitContinuation(tag, untagged);
                        if (refused.isPresent()) return refused;
                    }
                    try (InputStream in = l.open()) {
                        long n = in.transferTo(out);
                        if (n != l.size()) throw new IOException("the message file changed size while being sent");
                    }
                }
                case Args.Part.Response s -> {
                    out.write("\r\n".getBytes(US_ASCII));
                    out.flush();
                    Optional<Response.Tagged> refused = awaitContinuation(tag, untagged);
                    if (refused.isPresent()) return refused;
                    out.write(s.line().getBytes(US_ASCII));
                }
            }
        }
        out.write("\r\n".getBytes(US_ASCII));
        out.flush();
        return Optional.empty();
    }

    private Optional<Response.Tagged> awaitContinuation(String tag, List<Response> untagged) throws IOException {
        while (true) {
            Response r = reader.next();
            switch (r) {
                case Response.Continuation c -> {
                    return Optional.empty();
                }
                case Response.Tagged t when t.tag().equals(tag) -> {
                    return Optional.of(t);
                }
                case Response.Tagged t -> throw new ProtocolException(conn.where() + " answered tag " + t.tag()
                        + ", which was not sent");
                default -> note(r, untagged);
            }
        }
    }

    private void unsolicited(List<Response> responses) throws ProtocolException {
        for (Response r : responses) {
            Unsolicited u = switch (r) {
                case Response.Exists e -> new Unsolicited.Exists(e.count());
                case Response.Expunge e -> new Unsolicited.Expunge(e.sequence());
                case Response.Vanished v -> new Unsolicited.Vanished(v.uids());
                case Response.Fetch f -> new Unsolicited.Fetch(f.sequence(), f.uid().isPresent() && f.flags().isPresent()
                        ? Optional.of(new FlagsRow(f.uid().getAsLong(), Set.copyOf(f.flags().get()), f.modseq().orElse(0)))
                        : Optional.empty());
                default -> null;
            };
            if (u == null) continue;
            if (unsolicited.size() >= ImapClientLimits.MAX_UNSOLICITED) {
                conn.fail();
                throw new ProtocolException(conn.where() + ": more than " + ImapClientLimits.MAX_UNSOLICITED
                        + " unsolicited responses were not drained");
            }
            unsolicited.add(u);
        }
    }

    /**
     * The arguments of one command. The only place that decides how a string goes on the wire: atoms as they
     * are, strings quoted when they can be and sent as literals when not (RFC 9051 §4.3), so an argument can never
     * end the line or start another command.
     */
    static final class Args {
        sealed interface Part {
            /** Command syntax, always US-ASCII (every method that adds one checks it). */
            record Text(String text) implements Part {}
            record Literal(byte[] bytes, Path file, long size) implements Part {
                InputStream open() throws IOException {
                    return bytes != null ? new java.io.ByteArrayInputStream(bytes) : Files.newInputStream(file);
                }
            }
            /** A SASL response line sent after the server's "+". */
            record Response(String line) implements Part {}
        }

        final List<Part> parts = new ArrayList<>();

        /** Command words and syntax we build ourselves (ASCII, no CR/LF): checked all the same. */
        Args atom(String text) {
            if (!text.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) throw new IllegalArgumentException("not command syntax: " + text);
            parts.add(new Part.Text(" " + text));
            return this;
        }

        /** Base64 and the like: ASCII without spaces. */
        Args raw(String text) {
            if (!text.chars().allMatch(c -> c > 0x20 && c < 0x7f)) throw new IllegalArgumentException("not a token");
            parts.add(new Part.Text(" " + text));
            return this;
        }

        Args response(String line) {
            if (!line.chars().allMatch(c -> c > 0x20 && c < 0x7f)) throw new IllegalArgumentException("not a SASL response");
            parts.add(new Part.Response(line));
            return this;
        }

        /** RFC 9051 §9 astring: an atom when it is one, else a string. */
        Args astring(String s) {
            if (!s.isEmpty() && s.chars().allMatch(c -> ResponseReader.atomChar(c) || c == ']')) {
                parts.add(new Part.Text(" " + s));
                return this;
            }
            return string(s);
        }

        /** A quoted string when it can be one, else a literal. */
        Args string(String s) {
            if (quotable(s)) return quoted(s);
            byte[] b = s.getBytes(UTF_8);
            parts.add(new Part.Text(" "));
            parts.add(new Part.Literal(b, null, b.length));
            return this;
        }

        /** RFC 9051 §9 quoted: no CR, LF or NUL; we also keep it ASCII and short, else a literal is clearer. */
        static boolean quotable(String s) {
            if (s.length() > 1000) return false;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c < 0x20 || c >= 0x7f) return false;
            }
            return true;
        }

        Args quoted(String s) {
            if (!quotable(s)) throw new IllegalArgumentException("not quotable");
            parts.add(new Part.Text(" \"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\""));
            return this;
        }

        /** RFC 9051 §9 flag-list: "(" flag *(SP flag) ")", each flag an atom, or a backslash and an atom; else refused. */
        static String flagList(Set<String> flags) {
            for (String f : flags) {
                String name = f.startsWith("\\") ? f.substring(1) : f;
                if (name.isEmpty() || !name.chars().allMatch(ResponseReader::atomChar))
                    throw new IllegalArgumentException("not a flag or keyword: " + f);
            }
            return "(" + String.join(" ", flags) + ")";
        }

        Args file(Path file, long size) {
            parts.add(new Part.Text(" "));
            parts.add(new Part.Literal(null, file, size));
            return this;
        }
    }

    // ---- result types (the API contract)

    public record RemoteFolder(String name, Optional<Character> delimiter, Set<String> attributes) {}

    /** What SELECT said. {@code highestModseq} is 0 when the server has no CONDSTORE (or NOMODSEQ). */
    public record Selected(String folder, long uidValidity, long uidNext, long exists, long highestModseq,
                           UidSet vanished, List<FlagsRow> changed) {}

    public record Qresync(long uidValidity, long modseq, UidSet knownUids) {}

    public record Changes(UidSet vanished, List<FlagsRow> changed, long highestModseq) {}

    /** {@code modseq} is 0 when the server has no CONDSTORE. */
    public record FlagsRow(long uid, Set<String> flags, long modseq) {}

    public record FetchedMessage(long uid, Set<String> flags, Instant internalDate, long size, long modseq) {}

    public record AppendUid(long uidValidity, long uid) {}

    public sealed interface Unsolicited {
        record Exists(long count) implements Unsolicited {}
        record Expunge(long sequence) implements Unsolicited {}
        record Vanished(UidSet uids) implements Unsolicited {}
        record Fetch(long sequence, Optional<FlagsRow> flags) implements Unsolicited {}
    }

    @FunctionalInterface
    public interface MessageConsumer {
        void accept(FetchedMessage message, InputStream body) throws IOException;
    }
}
