package org.postern.server.pop3;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import javax.net.ssl.SSLContext;
import org.postern.server.directory.Account;
import org.postern.server.net.Connection;
import org.postern.server.net.Delays;
import org.postern.server.net.SessionIo;
import org.postern.server.store.FlagUpdate;
import org.postern.server.store.Flags;
import org.postern.server.store.StoreException;
import org.postern.wire.Secret;
import org.postern.wire.io.DotStuffing;
import org.postern.wire.io.LineTooLongException;
import org.postern.wire.pop3.Pop3Command;
import org.postern.wire.pop3.Pop3Command.*;
import org.postern.wire.pop3.Pop3Parser;
import org.postern.wire.pop3.Pop3Reply;
import org.postern.wire.pop3.Pop3SyntaxException;
import org.postern.wire.sasl.Credentials;
import org.postern.wire.sasl.SaslException;
import org.postern.wire.sasl.SaslPlain;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One POP3 connection: AUTHORIZATION, TRANSACTION and UPDATE (RFC 1939 §3).
 *
 * <ul>
 * <li>State is a sealed {@link State}: the maildrop exists only in {@link Transaction}. The dispatcher is an
 *     exhaustive switch over {@link Pop3Command}.</li>
 * <li>Replies are buffered and flushed when the input runs dry, so pipelined commands (RFC 2449 §6.6) get
 *     their replies in one batch, in order.</li>
 * <li>Login: USER is always answered +OK, and a failed PASS or AUTH gets the same {@code -ERR [AUTH]} whether
 *     the user exists or not (RFC 1939 §7 allows either; telling would help guessers), after
 *     {@link Delays#authFailure()}. The shared {@link org.postern.server.net.AuthThrottle} refuses an address
 *     with too many recent failures. Before TLS, USER/PASS/AUTH are refused unless plaintext login is allowed
 *     (docs/decisions/0002-tls-policy.md).</li>
 * <li>The maildrop is locked for the session (RFC 1939 §8); a second session gets {@code -ERR [IN-USE]}
 *     (RFC 2449 §8.1.1). Deletions are applied only by QUIT in TRANSACTION, in one store write with the
 *     \Seen flags of retrieved messages; a dropped connection deletes nothing.</li>
 * <li>Errors: a syntax error or a command in the wrong state counts towards {@code maxBadCommands}, one past
 *     it closes the connection. Runtime failures (ours, the store's) are logged with their stack and answered
 *     {@code -ERR [SYS/TEMP]}: no exception text reaches the client. An over-long line gets -ERR and a close,
 *     since the stream cannot be resynchronised.</li>
 * </ul>
 */
final class Pop3Session {
    private static final Logger log = LoggerFactory.getLogger(Pop3Session.class);
    /** The first byte of a TLS record carrying a handshake (a ClientHello on the plaintext port). */
    private static final int TLS_HANDSHAKE_RECORD = 0x16;
    /** Bytes read from the store at a time while sending a message. */
    private static final int TRANSFER_BUFFER = 16 * 1024;

    /** RFC 1939 §3 states; UPDATE is the QUIT handler itself. */
    private sealed interface State {}

    private record Authorization(Optional<String> user) implements State {}

    private record Transaction(Account account, Maildrop drop) implements State {}

    private final Pop3Server server;
    private final Pop3Settings settings;
    private final Connection conn;
    private SessionIo io;
    /** One per session, allocated on the first RETR/TOP (a 16 KiB allocation per message showed up as zeroing work). */
    private byte[] transfer;
    private State state = new Authorization(Optional.empty());
    private int commands, errors, authFailures;

    Pop3Session(Pop3Server server, Connection conn) {
        this.server = server;
        this.settings = server.settings();
        this.conn = conn;
    }

    void run() throws IOException {
        log.debug("conn={} pop3 connect from {}", conn.id(), conn.remote());
        try {
            io = new SessionIo(conn.socket(), Pop3Limits.MAX_LINE, settings.autologout());   // a client that stops reading is idle too
            loop();
        } catch (LineTooLongException e) {
            if (io != null) io.lastWords(Pop3Reply.err("line too long, closing").encode());
        } catch (SocketTimeoutException e) {
            if (io != null) io.lastWords(Pop3Reply.err("autologout: idle for too long, closing").encode());   // RFC 1939 §3: no UPDATE
            log.debug("conn={} autologout", conn.id());
        } catch (EOFException e) {
            log.debug("conn={} client went away: {}", conn.id(), e.getMessage());
        } finally {
            if (io != null) io.flushQuietly();
            if (state instanceof Transaction t) {
                server.unlock(t.account().id());   // without QUIT nothing is deleted (RFC 1939 §6)
                log.info("conn={} {} left without QUIT: nothing deleted", conn.id(), t.account().address());
            }
            if (io != null && io.socket() != conn.socket()) {
                try {
                    io.socket().close();   // the STLS socket; the listener closes the raw one
                } catch (IOException ignored) {
                    // closing is best effort
                }
            }
        }
    }

    private void loop() throws IOException {
        // No APOP timestamp in the greeting: APOP is not offered (RFC 1939 §7).
        reply(Pop3Reply.ok("Postern POP3 server ready"));
        while (true) {
            io.timeout(settings.autologout());
            if (commands == 0 && io.input().peek() == TLS_HANDSHAKE_RECORD) {
                log.debug("conn={} TLS handshake on the plaintext port: closing", conn.id());
                return;
            }
            String line = io.readLine();
            commands++;
            Pop3Command cmd;
            try {
                cmd = Pop3Parser.parse(line);
            } catch (Pop3SyntaxException e) {
                if (commands == 1 && e.unknownCommand()) {
                    reply(Pop3Reply.err("this is a POP3 server, closing"));
                    return;
                }
                Delays.pause(settings.delays().badCommand());
                if (!error(Pop3Reply.err(e.getMessage()))) return;
                continue;
            }
            if (!execute(cmd)) return;
        }
    }

    /** Runs one command; false when the connection is to be closed. */
    private boolean execute(Pop3Command cmd) throws IOException {
        try {
            return switch (state) {
                case Authorization a -> authorization(a, cmd);
                case Transaction t -> transaction(t, cmd);
            };
        } catch (StoreException | IllegalStateException e) {
            log.warn("conn={} store failure in {}", conn.id(), cmd.verb(), e);
            return reply(Pop3Reply.err(Pop3Reply.SYS_TEMP, "temporary server failure, try again later"));
        } catch (RuntimeException e) {
            log.warn("conn={} internal error in {}", conn.id(), cmd.verb(), e);
            return reply(Pop3Reply.err(Pop3Reply.SYS_TEMP, "internal error, try again later"));
        }
    }

    // --- AUTHORIZATION (RFC 1939 §4, §7) ---

    private boolean authorization(Authorization a, Pop3Command cmd) throws IOException {
        return switch (cmd) {
            case Capa _ -> capa();
            case Quit _ -> {
                reply(Pop3Reply.ok("bye"));
                yield false;
            }
            case Stls _ -> stls();
            case User u -> {
                if (!loginAllowed()) yield error(plaintextRefused());
                state = new Authorization(Optional.of(u.name()));
                yield reply(Pop3Reply.ok("send your password"));
            }
            case Pass p -> {
                if (!loginAllowed()) {
                    p.password().wipe();
                    yield error(plaintextRefused());
                }
                if (a.user().isEmpty()) {
                    p.password().wipe();
                    yield error(Pop3Reply.err("send USER first"));
                }
                state = new Authorization(Optional.empty());   // RFC 1939 §7: a failed PASS needs a new USER
                yield login(a.user().get(), p.password(), "USER/PASS");
            }
            case Auth au -> auth(au);
            case Apop _ -> error(Pop3Reply.err("APOP is not offered: use USER/PASS or AUTH PLAIN over TLS"));
            case Stat _, Pop3Command.List _, Retr _, Dele _, Noop _, Rset _, Top _, Uidl _ -> error(Pop3Reply.err("log in first"));
        };
    }

    private boolean loginAllowed() {
        return io.isTls() || settings.allowPlaintextAuth();
    }

    private Pop3Reply plaintextRefused() {
        // RFC 2595 §2.1 / RFC 8314: passwords only over TLS; say what to do, not a credentials error
        return Pop3Reply.err("plaintext login is disabled: use STLS (or port 995) first");
    }

    /** RFC 2449 §5: capabilities for the current state. */
    private boolean capa() throws IOException {
        List<String> lines = new ArrayList<>(List.of("TOP", "UIDL", "RESP-CODES", "AUTH-RESP-CODE", "PIPELINING",
                "EXPIRE NEVER", "IMPLEMENTATION Postern"));
        if (state instanceof Authorization) {
            if (loginAllowed()) {
                lines.add("USER");
                lines.add("SASL " + SaslPlain.NAME);
            }
            if (stlsOffered()) lines.add("STLS");
        }
        return multiline(Pop3Reply.ok("capability list follows"), lines);
    }

    private boolean stlsOffered() {
        return server.services().tls().isPresent() && !io.isTls();
    }

    /** RFC 2595 §4: STLS only in AUTHORIZATION; afterwards a new CAPA is needed, and the buffer is dropped. */
    private boolean stls() throws IOException {
        Optional<SSLContext> tls = server.services().tls();
        if (tls.isEmpty()) return error(Pop3Reply.err("STLS not available"));
        if (io.isTls()) return error(Pop3Reply.err("TLS already active"));
        reply(Pop3Reply.ok("begin TLS negotiation"));
        io.flush();
        Duration autologout = settings.autologout();
        int dropped;
        try {
            dropped = io.startTls(tls.get(), autologout.compareTo(Pop3Limits.TLS_HANDSHAKE_TIMEOUT) < 0 ? autologout : Pop3Limits.TLS_HANDSHAKE_TIMEOUT);
        } catch (IOException e) {
            // no -ERR: the client is in its handshake, where a plaintext line is only garbage
            log.debug("conn={} STLS handshake failed: {}", conn.id(), e.toString());
            return false;
        }
        if (dropped > 0) log.info("conn={} discarded {} bytes sent in plaintext behind STLS", conn.id(), dropped);
        state = new Authorization(Optional.empty());
        return true;
    }

    /** RFC 5034: AUTH PLAIN, with or without an initial response; bare AUTH lists the mechanisms. */
    private boolean auth(Auth au) throws IOException {
        if (au.mechanism().isEmpty()) return multiline(Pop3Reply.ok("mechanisms follow"), loginAllowed() ? List.of(SaslPlain.NAME) : List.of());
        if (!loginAllowed()) return error(plaintextRefused());
        if (!au.mechanism().get().equals(SaslPlain.NAME)) return error(Pop3Reply.err("unsupported mechanism: use PLAIN"));
        Credentials creds;
        try {
            if (au.initialResponse().isPresent()) {
                creds = SaslPlain.decode(au.initialResponse().get(), true);   // RFC 5034 §4: "=" is an empty response
            } else {
                io.write("+ \r\n");   // RFC 5034 §4: an empty challenge
                io.flush();
                io.timeout(settings.autologout());
                creds = SaslPlain.decode(io.readLine(), false);
            }
        } catch (SaslException e) {
            return switch (e.kind()) {
                // RFC 5034 §4: "*" cancels; the server answers -ERR
                case CANCELLED -> reply(Pop3Reply.err("authentication cancelled"));
                case BAD_BASE64, MALFORMED -> error(Pop3Reply.err("cannot decode the response"));
                case AUTHZID_NOT_ALLOWED -> failed("(authzid)");
            };
        }
        return login(creds.username(), creds.password(), "AUTH PLAIN");
    }

    private boolean login(String user, Secret password, String how) throws IOException {
        Optional<Account> account;
        try {
            if (server.services().authThrottle().refused(conn.remote().getAddress())) {
                log.info("conn={} from {}: login refused, too many recent failures from this address", conn.id(),
                        conn.remote().getAddress().getHostAddress());
                return reply(Pop3Reply.err(Pop3Reply.SYS_TEMP, "too many failed logins from your address, try again later"));
            }
            account = server.services().directory().authenticate(user, password);
        } finally {
            password.wipe();
        }
        if (account.isEmpty()) return failed(user);
        Account acc = account.get();
        if (!server.lock(acc.id())) {
            log.info("conn={} {}: maildrop in use by another POP3 session", conn.id(), acc.address());
            return reply(Pop3Reply.err(Pop3Reply.IN_USE, "your maildrop is open in another POP3 session"));
        }
        Maildrop drop;
        try {
            drop = Maildrop.load(server.services().store(), acc.id());
        } catch (RuntimeException e) {
            server.unlock(acc.id());
            throw e;
        }
        state = new Transaction(acc, drop);
        log.info("conn={} {} logged in with {} ({} messages)", conn.id(), acc.address(), how, drop.count());
        return reply(maildropSummary(drop));
    }

    private boolean failed(String user) throws IOException {
        authFailures++;
        log.info("conn={} from {}: login failed for {} ({} of {})", conn.id(), conn.remote().getAddress().getHostAddress(),
                SessionIo.printable(user), authFailures, settings.maxAuthFailures());
        Duration penalty = server.services().authThrottle().failed(conn.remote().getAddress(), user);
        Delays.pause(settings.delays().authFailure());
        if (!settings.delays().authFailure().isZero()) Delays.pause(penalty);
        if (authFailures > settings.maxAuthFailures()) {
            reply(Pop3Reply.err(Pop3Reply.AUTH, "too many failed logins, closing"));
            return false;
        }
        // RFC 3206 §4: [AUTH] says the credentials were wrong (the user may retype them)
        return reply(Pop3Reply.err(Pop3Reply.AUTH, "invalid user name or password"));
    }

    // --- TRANSACTION (RFC 1939 §5) ---

    private boolean transaction(Transaction t, Pop3Command cmd) throws IOException {
        Maildrop drop = t.drop();
        return switch (cmd) {
            case Stat _ -> reply(Pop3Reply.ok(drop.liveCount() + " " + drop.liveOctets()));
            case Pop3Command.List l -> listing(drop, l.message(), n -> String.valueOf(drop.size(n)),
                    Pop3Reply.ok(drop.liveCount() + " messages (" + drop.liveOctets() + " octets)"));
            case Uidl u -> listing(drop, u.message(), drop::uidl, Pop3Reply.ok("unique-id listing follows"));
            case Retr r -> send(t, r.message(), OptionalInt.empty());
            case Top tp -> send(t, tp.message(), OptionalInt.of(tp.lines()));
            case Dele d -> {
                Optional<Pop3Reply> missing = missing(drop, d.message());
                if (missing.isPresent()) yield reply(missing.get());
                drop.delete(d.message());
                yield reply(Pop3Reply.ok("message " + d.message() + " deleted"));
            }
            case Noop _ -> reply(Pop3Reply.ok(""));
            case Rset _ -> {
                drop.undeleteAll();
                yield reply(maildropSummary(drop));
            }
            case Capa _ -> capa();
            case Quit _ -> update(t);
            case User _, Pass _, Auth _, Apop _ -> error(Pop3Reply.err("already logged in"));
            case Stls _ -> error(Pop3Reply.err("STLS is only allowed before login"));
        };
    }

    /** RFC 1939 §5: a number that names no message, or a deleted one, is an error. */
    private static Optional<Pop3Reply> missing(Maildrop drop, int n) {
        if (!drop.valid(n)) return Optional.of(Pop3Reply.err("no such message, only " + drop.count() + " in maildrop"));
        if (drop.deleted(n)) return Optional.of(Pop3Reply.err("message " + n + " already deleted"));
        return Optional.empty();
    }

    /**
     * LIST and UIDL (RFC 1939 §5, §7): with a number, one "+OK n value" line; without, one "n value" line per
     * message not marked deleted.
     */
    private boolean listing(Maildrop drop, OptionalInt message, java.util.function.IntFunction<String> value,
                            Pop3Reply header) throws IOException {
        if (message.isPresent()) {
            int n = message.getAsInt();
            Optional<Pop3Reply> missing = missing(drop, n);
            return reply(missing.orElseGet(() -> Pop3Reply.ok(n + " " + value.apply(n))));
        }
        List<String> lines = new ArrayList<>(drop.liveCount());
        for (int n = 1; n <= drop.count(); n++) if (!drop.deleted(n)) lines.add(n + " " + value.apply(n));
        return multiline(header, lines);
    }

    private static Pop3Reply maildropSummary(Maildrop drop) {
        return Pop3Reply.ok("maildrop has " + drop.liveCount() + " messages (" + drop.liveOctets() + " octets)");
    }

    /**
     * RETR (whole message) or TOP (header, blank line, {@code lines} body lines), streamed from the store and
     * dot-stuffed (RFC 1939 §3). The body is opened before +OK is sent, so a message that another session
     * expunged meanwhile gets -ERR and the session goes on; a failure after +OK can only close the connection.
     * TOP reads the message only as far as the lines it sends.
     */
    private boolean send(Transaction t, int n, OptionalInt topLines) throws IOException {
        Maildrop drop = t.drop();
        Optional<Pop3Reply> missing = missing(drop, n);
        if (missing.isPresent()) return reply(missing.get());
        Optional<InputStream> opened;
        try {
            opened = drop.open(server.services().store(), n);
        } catch (java.io.FileNotFoundException | java.nio.file.NoSuchFileException e) {
            opened = Optional.empty();   // its body file went with an expunge between the row and the open
        }
        if (opened.isEmpty()) return reply(Pop3Reply.err("message " + n + " was removed by another session"));
        try (InputStream in = opened.get()) {
            reply(topLines.isPresent() ? Pop3Reply.ok("top of message follows")
                    : Pop3Reply.ok(drop.size(n) + " octets"));   // RFC 1939 §7 example: "+OK 120 octets"
            DotStuffing body = topLines.isPresent() ? DotStuffing.top(io.output(), topLines.getAsInt()) : DotStuffing.all(io.output());
            // TOP n of a large message: stop reading once the n lines are out, not at the end of the body
            if (transfer == null) transfer = new byte[TRANSFER_BUFFER];
            for (int r; !body.done() && (r = in.read(transfer)) >= 0; ) body.write(transfer, 0, r);
            body.finish();
        }
        drop.retrieved(n);
        return true;
    }

    /**
     * UPDATE (RFC 1939 §6): the marked messages are removed and retrieved ones flagged \Seen, in one store
     * transaction. If it fails nothing was removed, and the reply says so.
     */
    private boolean update(Transaction t) throws IOException {
        Maildrop drop = t.drop();
        int removed;
        try {
            removed = server.services().store().write(drop.account, tx -> {
                var seen = drop.seenUids();
                if (!seen.ranges().isEmpty())
                    tx.setFlags(drop.box, seen, new FlagUpdate(FlagUpdate.Mode.ADD, Flags.of(Flags.SEEN)), java.util.OptionalLong.empty());
                return drop.anyDeleted() ? tx.expunge(drop.box, drop.deletedUids()).size() : 0;
            });
        } catch (RuntimeException e) {
            log.warn("conn={} {}: UPDATE failed, nothing deleted", conn.id(), t.account().address(), e);
            // RFC 1939 §6: "-ERR some deleted messages not removed"
            reply(Pop3Reply.err(Pop3Reply.SYS_TEMP, "some deleted messages not removed, try again later"));
            return false;
        }
        server.unlock(t.account().id());
        state = new Authorization(Optional.empty());
        log.info("conn={} {} quit: {} messages deleted", conn.id(), t.account().address(), removed);
        reply(Pop3Reply.ok("bye, " + removed + " messages deleted"));
        return false;
    }

    // --- replies ---

    private boolean reply(Pop3Reply r) throws IOException {
        io.write(r.encode());
        return true;
    }

    /** A +OK line, then each line dot-stuffed, then ".". */
    private boolean multiline(Pop3Reply first, List<String> lines) throws IOException {
        StringBuilder b = new StringBuilder(first.encode());
        for (String l : lines) b.append(l.startsWith(".") ? "." : "").append(l).append("\r\n");
        io.write(b.append(".\r\n").toString());
        return true;
    }

    /** A client error: answered, unless it is one too many; then -ERR and false (close). */
    private boolean error(Pop3Reply r) throws IOException {
        if (++errors > settings.maxBadCommands()) {
            reply(Pop3Reply.err("too many errors, closing"));
            log.info("conn={} from {}: too many errors, closing", conn.id(), conn.remote().getAddress().getHostAddress());
            return false;
        }
        return reply(r);
    }

}
