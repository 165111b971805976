package org.postern.server.smtp;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.postern.server.directory.Account;
import org.postern.server.net.Connection;
import org.postern.server.net.Delays;
import org.postern.server.net.SessionIo;
import org.postern.server.smtp.SmtpState.Chunking;
import org.postern.server.smtp.SmtpState.Connected;
import org.postern.server.smtp.SmtpState.Greeted;
import org.postern.server.smtp.SmtpState.Hello;
import org.postern.server.smtp.SmtpState.Mail;
import org.postern.wire.io.LineTooLongException;
import org.postern.wire.smtp.SmtpCommand;
import org.postern.wire.smtp.SmtpCommand.*;
import org.postern.wire.smtp.SmtpParser;
import org.postern.wire.smtp.SmtpReply;
import org.postern.wire.smtp.SmtpSyntaxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SMTP connection, from greeting to close, on its own thread ({@link org.postern.server.net.ConnectionThreads}).
 *
 * <p>Implementation notes.
 * <ul>
 * <li>State is a sealed {@link SmtpState}: data exists only where it is valid. The dispatcher is an exhaustive
 *     switch over {@link SmtpCommand}; MAIL/RCPT/DATA/BDAT live in {@link MailCommands}, AUTH in
 *     {@link SmtpAuth}.</li>
 * <li>Three outcomes per command, mapped in {@link #execute}: a {@link SmtpRefusal} or
 *     {@link SmtpSyntaxException} is answered and the session goes on (counted towards
 *     {@code maxBadCommands} when it is the client's fault; one past the limit gets 421 and a close); any other
 *     runtime exception is our bug or the store's, logged with its stack at WARNING and answered
 *     {@code 451 4.3.0 internal error}: no exception text ever reaches the client. An IOException ends the
 *     session (the listener logs it at DEBUG). A runtime exception while message bytes are still arriving
 *     (DATA, BDAT) gets 421 and a close instead: the rest of the message must never be read as commands.</li>
 * <li>Pipelining (RFC 2920): replies are buffered and flushed only when the input buffer is empty, so a batch
 *     of pipelined commands gets one batch of replies, in order.</li>
 * <li>STARTTLS discards whatever the client sent behind the command before the handshake (RFC 3207 §4,
 *     CVE-2011-0411) and goes back to {@link Connected}: a new EHLO is required and an earlier AUTH is
 *     forgotten (RFC 3207 §4.2).</li>
 * <li>A client that speaks something else gets at most one line: a TLS ClientHello as the first bytes is
 *     closed at once; an unknown first command gets 500 and a close (mox); a line longer than
 *     {@link SmtpLimits#MAX_COMMAND_LINE} gets 500 and a close, since the stream cannot be resynchronised.</li>
 * <li>Read timeouts follow RFC 5321 §4.5.3.2 ({@link SmtpSettings.Timeouts}); on timeout we send 421 and close.
 *     Each applies per read and, with a minimum-rate allowance, to the whole command line or message body
 *     ({@link org.postern.server.net.DeadlineInput}), so a client trickling a byte at a time is cut off too.</li>
 * <li>Logging: one DEBUG line per command (verb, reply code, duration; never arguments, so never passwords),
 *     one INFO line per accepted message (envelope, size, id), never message contents.</li>
 * </ul>
 */
final class SmtpSession {
    private static final Logger log = LoggerFactory.getLogger(SmtpSession.class);
    /** The first byte of a TLS record carrying a handshake (a ClientHello on a plaintext port). */
    private static final int TLS_HANDSHAKE_RECORD = 0x16;
    /** A STARTTLS handshake must finish within this, or within the command timeout if that is shorter. */
    static final Duration TLS_HANDSHAKE_TIMEOUT = Duration.ofSeconds(30);

    final SmtpServer server;
    final SmtpSettings settings;
    final ListenerKind kind;
    final Connection conn;
    SessionIo io;
    SmtpState state = new Connected();
    private final MailCommands mail;
    private final SmtpAuth auth;
    private int commands, errors;
    private int lastReplyCode;

    SmtpSession(SmtpServer server, ListenerKind kind, Connection conn) {
        this.server = server;
        this.settings = server.settings();
        this.kind = kind;
        this.conn = conn;
        this.mail = new MailCommands(this);
        this.auth = new SmtpAuth(this);
    }

    void run() throws IOException {
        log.debug("conn={} {} connect from {}", conn.id(), kind, conn.remote());
        try {
            io = new SessionIo(conn.socket(), SmtpLimits.MAX_COMMAND_LINE, settings.timeouts().command());   // writes: as long as a command may take
            loop();
        } catch (LineTooLongException e) {
            if (io != null) io.lastWords(SmtpReply.of(500, "5.5.2", "line too long, closing").encode());
        } catch (SocketTimeoutException e) {
            // RFC 5321 §4.5.3.2: the server may close after its timeout, with 421
            if (io != null) io.lastWords(SmtpReply.of(421, "4.4.2", settings.hostname() + " timeout, closing").encode());
            log.debug("conn={} timed out", conn.id());
        } catch (EOFException e) {
            log.debug("conn={} client went away: {}", conn.id(), e.getMessage());
        } finally {
            if (io != null) io.flushQuietly();   // the last reply (221, 421, 500) before the listener closes the socket
            if (state instanceof Chunking c) c.body().close();
            if (io != null && io.socket() != conn.socket()) {
                try {
                    io.socket().close();   // the STARTTLS socket; the listener closes the raw one
                } catch (IOException ignored) {
                    // closing is best effort
                }
            }
            log.debug("conn={} closed after {} commands, {} errors", conn.id(), commands, errors);
        }
    }

    private void loop() throws IOException {
        reply(SmtpReply.plain(220, settings.hostname() + " ESMTP Postern"));
        while (true) {
            io.timeout(settings.timeouts().command());
            if (commands == 0 && io.input().peek() == TLS_HANDSHAKE_RECORD) {
                log.debug("conn={} TLS handshake on a plaintext port: closing", conn.id());
                return;
            }
            String line = io.readLine();
            commands++;
            long start = System.nanoTime();
            SmtpCommand cmd;
            try {
                cmd = SmtpParser.parse(line, utf8Transaction());
            } catch (SmtpSyntaxException e) {
                if (commands == 1 && e.unknownCommand()) {
                    reply(SmtpReply.of(500, "5.5.1", "this is an SMTP server, closing"));
                    log.debug("conn={} first line is not SMTP: closing", conn.id());
                    return;
                }
                Delays.pause(settings.delays().badCommand());
                boolean go = error(e.reply());
                log.debug("conn={} syntax error -> {}", conn.id(), lastReplyCode);
                if (!go) return;
                continue;
            }
            boolean go = execute(cmd);
            log.debug("conn={} {} -> {} ({} ms)", conn.id(), cmd.verb(), lastReplyCode, (System.nanoTime() - start) / 1_000_000);
            if (!go) return;
        }
    }

    /** Runs one command; false when the connection is to be closed. */
    private boolean execute(SmtpCommand cmd) throws IOException {
        if (!(cmd instanceof Bdat)) mail.otherCommand();
        try {
            switch (cmd) {
                case Helo h -> greet(new Hello(false, h.domain()));
                case Ehlo e -> greet(new Hello(true, e.domain()));
                case MailFrom m -> mail.mailFrom(m);
                case RcptTo r -> mail.rcptTo(r);
                case Data _ -> {
                    return mail.data();
                }
                case Bdat b -> {
                    return mail.bdat(b);
                }
                case Rset _ -> rset();
                case Noop _ -> reply(SmtpReply.of(250, "2.0.0", "OK"));
                case Quit _ -> {
                    reply(SmtpReply.of(221, "2.0.0", settings.hostname() + " closing connection"));
                    return false;
                }
                // RFC 5321 §3.5.3: 252 instead of confirming or denying that a user exists
                case Vrfy _ -> reply(SmtpReply.of(252, "2.5.2", "cannot VRFY user, but will take a message and try"));
                case Expn _ -> reply(SmtpReply.of(502, "5.5.1", "EXPN not available"));
                case Help _ -> reply(SmtpReply.multi(214, "2.0.0", List.of(
                        "commands: EHLO HELO MAIL RCPT DATA BDAT RSET NOOP QUIT VRFY HELP STARTTLS AUTH",
                        "see RFC 5321")));
                case StartTls _ -> startTls();
                case Auth a -> {
                    return auth.authenticate(a);
                }
            }
            return true;
        } catch (SmtpRefusal r) {
            return r.countsAsError() ? error(r.reply()) : reply(r.reply());
        } catch (SmtpSyntaxException e) {
            return error(e.reply());
        } catch (RuntimeException e) {
            log.warn("conn={} internal error in {}", conn.id(), cmd.verb(), e);
            return reply(SmtpReply.of(451, "4.3.0", "internal error, try again later"));
        }
    }

    /** Sends the reply; always true, so handlers can {@code return reply(…)}. */
    boolean reply(SmtpReply r) throws IOException {
        lastReplyCode = r.code();
        io.write(r.encode());
        return true;
    }

    /** A client error: answered, unless it is one too many; then 421 and false (close). */
    boolean error(SmtpReply r) throws IOException {
        if (++errors > settings.maxBadCommands()) {
            reply(SmtpReply.of(421, "4.7.0", settings.hostname() + " too many errors, closing"));
            log.info("conn={} from {}: too many errors, closing", conn.id(), conn.remote().getAddress().getHostAddress());
            return false;
        }
        return reply(r);
    }

    // --- session-level commands ---

    /** RFC 5321 §4.1.4: EHLO/HELO at any time resets the transaction, as RSET would; AUTH stays. */
    private void greet(Hello h) throws IOException {
        state = new Greeted(h, resetTransaction());
        if (!h.extended()) {
            reply(SmtpReply.plain(250, settings.hostname()));
            return;
        }
        List<String> lines = new ArrayList<>(List.of(settings.hostname(), "PIPELINING",
                "SIZE " + settings.maxMessageBytes(), "8BITMIME", "SMTPUTF8", "ENHANCEDSTATUSCODES", "DSN"));
        if (startTlsOffered()) lines.add("STARTTLS");
        if (authOffered()) lines.add("AUTH PLAIN LOGIN");
        lines.add("CHUNKING");
        reply(SmtpReply.plain(250, lines.toArray(String[]::new)));
    }

    private void rset() throws IOException {
        Optional<Account> user = resetTransaction();
        if (!(state instanceof Connected)) state = new Greeted(hello().orElseThrow(), user);
        reply(SmtpReply.of(250, "2.0.0", "OK"));
    }

    /** Ends any transaction (discarding a partly received BDAT body); returns the authenticated user. */
    Optional<Account> resetTransaction() {
        return switch (state) {
            case Connected _ -> Optional.empty();
            case Greeted g -> g.user();
            case Mail m -> m.user();
            case Chunking c -> {
                c.body().close();
                state = new Greeted(c.hello(), c.user());
                yield c.user();
            }
        };
    }

    private void startTls() throws IOException {
        Optional<SSLContext> tls = server.services().tls();
        if (tls.isEmpty()) throw SmtpRefusal.error(502, "5.5.1", "STARTTLS not available");
        if (io.isTls()) throw SmtpRefusal.error(503, "5.5.1", "TLS already active");
        if (state instanceof Mail || state instanceof Chunking)
            throw SmtpRefusal.error(503, "5.5.1", "STARTTLS not allowed during a mail transaction");
        reply(SmtpReply.of(220, "2.0.0", "ready to start TLS"));
        io.flush();
        Duration command = settings.timeouts().command();
        int dropped = io.startTls(tls.get(), command.compareTo(TLS_HANDSHAKE_TIMEOUT) < 0 ? command : TLS_HANDSHAKE_TIMEOUT);
        if (dropped > 0) log.info("conn={} discarded {} bytes sent in plaintext behind STARTTLS (RFC 3207 §4)", conn.id(), dropped);
        state = new Connected();
    }

    // --- facts the handlers share ---

    Optional<Hello> hello() {
        return switch (state) {
            case Connected _ -> Optional.empty();
            case Greeted g -> Optional.of(g.hello());
            case Mail m -> Optional.of(m.hello());
            case Chunking c -> Optional.of(c.hello());
        };
    }

    Optional<Account> user() {
        return switch (state) {
            case Connected _ -> Optional.empty();
            case Greeted g -> g.user();
            case Mail m -> m.user();
            case Chunking c -> c.user();
        };
    }

    boolean startTlsOffered() {
        return server.services().tls().isPresent() && !io.isTls();
    }

    /** AUTH only over TLS (DESIGN.md security defaults) unless the operator allowed plaintext. */
    boolean authOffered() {
        return io.isTls() || settings.allowPlaintextAuth();
    }

    /** Relaying needs AUTH or a client address in relayNetworks; loopback is not trusted by default. */
    boolean mayRelay() {
        return user().isPresent() || settings.relayNetworks().stream().anyMatch(n -> n.contains(conn.remote().getAddress()));
    }

    private boolean utf8Transaction() {
        return state instanceof Mail m && m.tx().params().smtpUtf8();
    }

    /** RFC 3848 and RFC 6531 §3.7.3 "with" keyword for the Received field. */
    String protocol(boolean smtpUtf8) {
        Hello h = hello().orElseThrow();
        if (!h.extended()) return "SMTP";
        return (smtpUtf8 ? "UTF8SMTP" : "ESMTP") + (io.isTls() ? "S" : "") + (user().isPresent() ? "A" : "");
    }
}
