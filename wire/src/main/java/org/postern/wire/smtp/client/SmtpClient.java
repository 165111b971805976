package org.postern.wire.smtp.client;

import java.io.IOException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.postern.wire.Secret;
import org.postern.wire.sasl.Credentials;
import org.postern.wire.sasl.SaslLogin;
import org.postern.wire.sasl.SaslPlain;
import org.postern.wire.smtp.SmtpReply;

/**
 * One outbound SMTP session to one host: connect, greeting, EHLO (HELO when EHLO is refused), STARTTLS by the
 * destination's {@link TlsPolicy}, AUTH for a smarthost, then any number of transactions, QUIT at close.
 *
 * <p>Implementation notes:
 * <ul>
 * <li>Setting up fails with {@link SessionFailure}, temporary or permanent, and nothing else: a greeting of
 *     421 (temporary) or 5xx (permanent, RFC 5321 §3.1: 554 means "no SMTP service here"), EHLO and HELO both
 *     refused, a timeout, a closed connection, or a reply that is not SMTP. The caller tries the next MX after a
 *     temporary one.</li>
 * <li>EHLO first; a 5xx to it (a pre-ESMTP server: 500/502) gets HELO (RFC 5321 §3.2, §4.1.1.1), after which
 *     no extension is used.</li>
 * <li>{@link TlsPolicy.ImplicitVerified} (port 465, RFC 8314 §3.3): the TLS handshake right after the connect,
 *     before the greeting, the certificate verified; no STARTTLS.</li>
 * <li>STARTTLS (RFC 3207): after the handshake everything learned before it is forgotten and EHLO is sent again
 *     (§4.2). Bytes the server sent behind its 220 before the handshake are a man-in-the-middle's injection
 *     (the client side of CVE-2011-0411): the session fails. With {@link TlsPolicy.Opportunistic} a failed
 *     handshake is retried once on a new connection without STARTTLS, and a 4xx/5xx to STARTTLS just means
 *     plaintext; with {@link TlsPolicy.RequiredVerified} every one of these is a temporary failure.</li>
 * <li>AUTH (RFC 4954): PLAIN with an initial response, else LOGIN; never without TLS unless the destination's
 *     {@link Destination.Login#allowWithoutTls()} says so. A refused login is a temporary failure even at 535:
 *     a wrong smarthost password is the operator's to fix, and bouncing all mail meanwhile helps no one
 *     (Postfix's {@code smtp_sasl_auth_soft_bounce}, on by default).</li>
 * <li>Transactions are {@link Transaction}'s; before every one but the first we send RSET (RFC 5321 §4.1.1.5),
 *     which also clears a transaction a previous failure left open, unless {@link #reset()} (a caller's check of a
 *     session that sat idle) has just sent it. A session whose stream broke (timeout,
 *     close, garbage) is not {@link #reusable()}; {@link #send} then fails every recipient temporarily.</li>
 * <li>Every wait has its RFC 5321 §4.5.3.2 timeout ({@link ClientSettings.Timeouts}), reads and writes
 *     alike, so a server that stops answering ends the session, never hangs it.</li>
 * </ul>
 * Not thread-safe: one session is used by one thread at a time.
 */
public final class SmtpClient implements AutoCloseable {
    private final Destination destination;
    private final ClientSettings settings;
    private ClientConnection conn;
    private SmtpReply greeting;
    private Capabilities capabilities = Capabilities.NONE;
    private boolean tls, authenticated, broken, closed;
    /** Transactions begun on this session. */
    private int transactions;
    /** Whether the next transaction must be preceded by RSET: one ran since the session was set up or reset. */
    private boolean dirty;

    private SmtpClient(Destination destination, ClientSettings settings) {
        this.destination = destination;
        this.settings = settings;
    }

    /**
     * Connects and sets the session up, ready for {@link #send}.
     *
     * @throws SessionFailure when the host cannot be used for any recipient
     */
    public static SmtpClient connect(Destination destination, ClientSettings settings) {
        Objects.requireNonNull(destination);
        Objects.requireNonNull(settings);
        try {
            return open(destination, settings, true);
        } catch (TlsFailed e) {
            // RFC 3207 §4 / RFC 7435: opportunistic TLS falls back to plaintext, on a fresh connection
            // since the failed handshake left this one unusable.
            try {
                return open(destination, settings, false);
            } catch (TlsFailed impossible) {
                throw new IllegalStateException("TLS attempted without STARTTLS", impossible);
            }
        }
    }

    /** One attempt; the connection is closed unless it is returned. */
    private static SmtpClient open(Destination destination, ClientSettings settings, boolean tryTls) throws TlsFailed {
        SmtpClient client = new SmtpClient(destination, settings);
        boolean ok = false;
        try {
            client.setUp(tryTls);
            ok = true;
            return client;
        } finally {
            if (!ok) client.abort();
        }
    }

    /** The destination this session is connected to. */
    public Destination destination() {
        return destination;
    }

    /** The server's 220 greeting. */
    public SmtpReply greeting() {
        return greeting;
    }

    /** What the last EHLO reply offered ({@link Capabilities#NONE} after HELO). */
    public Capabilities capabilities() {
        return capabilities;
    }

    /** Whether STARTTLS succeeded. */
    public boolean tlsActive() {
        return tls;
    }

    /** Whether AUTH succeeded. */
    public boolean authenticated() {
        return authenticated;
    }

    /** Whether another transaction may be sent: the session is open and its stream in step. */
    public boolean reusable() {
        return !broken && !closed;
    }

    /** How many transactions were begun on this session (the caller's bound on messages per connection). */
    public int transactions() {
        return transactions;
    }

    /**
     * Sends RSET now (RFC 5321 §4.1.1.5) and says whether the session is still good: how a session that sat idle
     * is checked before it is used again, since the server may have closed it meanwhile (its own timeout, RFC 5321
     * §4.5.3.2.7) and a transaction begun on it would fail its recipients for nothing. After a true answer the next
     * {@link #send} sends no RSET of its own; after false the session is not {@link #reusable()}.
     *
     * @throws IllegalStateException after {@link #close()}
     */
    public boolean reset() {
        if (closed) throw new IllegalStateException("session closed");
        if (broken) return false;
        try {
            return rset().isEmpty();
        } catch (IOException e) {
            broken = true;
            conn.abort();
            return false;
        }
    }

    /** RSET: empty when the server took it (the next transaction needs none), else its refusal (the session is broken). */
    private Optional<SmtpReply> rset() throws IOException {
        SmtpReply r = command("RSET", settings.timeouts().command());
        if (r.code() / 100 != 2) {
            broken = true;
            return Optional.of(r);
        }
        dirty = false;
        return Optional.empty();
    }

    /**
     * Runs one mail transaction and returns each recipient's outcome, in the envelope's order. Never throws for
     * anything the server or the network does; see {@link Transaction} for the rules.
     *
     * @throws IllegalStateException after {@link #close()}
     */
    public List<RecipientResult> send(Envelope envelope, OutboundMessage message) {
        Objects.requireNonNull(envelope);
        Objects.requireNonNull(message);
        if (closed) throw new IllegalStateException("session closed");
        String host = destination.host();
        if (broken) return Transaction.all(envelope, new RecipientOutcome.TemporaryFailure(host,
                Diagnosis.Local.of("4.4.2", "the connection to " + host + " was lost in an earlier transaction")));
        try {
            transactions++;
            Optional<SmtpReply> refused = dirty ? rset() : Optional.empty();
            if (refused.isPresent()) return Transaction.all(envelope, new RecipientOutcome.TemporaryFailure(host,
                    Diagnosis.Local.of("4.5.0", "RSET refused: " + new Diagnosis.Remote(refused.get()).text())));
        } catch (IOException e) {
            broken = true;
            conn.abort();
            return Transaction.all(envelope, new RecipientOutcome.TemporaryFailure(host, lost(e)));
        }
        dirty = true;
        Transaction t = new Transaction(conn, host, capabilities, settings.timeouts(), envelope, message);
        List<RecipientResult> results = t.run();
        if (t.broken()) {
            broken = true;
            conn.abort();
        }
        return results;
    }

    /** Sends QUIT (RFC 5321 §4.1.1.10) when the stream is still in step, waits briefly for 221, and closes. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        if (!broken) {
            Duration wait = settings.timeouts().command();
            if (wait.compareTo(ClientLimits.MAX_QUIT_WAIT) > 0) wait = ClientLimits.MAX_QUIT_WAIT;
            try {
                conn.command("QUIT");
                conn.reply(wait, "QUIT");
            } catch (IOException ignored) {
                // the transactions are over: a server that does not say goodbye changes nothing
            }
        }
        conn.close();
    }

    // --- session set-up ---

    /** Thrown inside {@link #connect} when an opportunistic handshake failed and a plaintext retry is due. */
    private static final class TlsFailed extends Exception {
        TlsFailed(Throwable cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    private void setUp(boolean tryTls) throws TlsFailed {
        ClientSettings.Timeouts t = settings.timeouts();
        try {
            conn = ClientConnection.open(destination.address(), t.connect(), t.command());
        } catch (IOException e) {
            throw fail("4.4.1", "cannot connect to " + destination.address() + ": " + e.getMessage());
        }
        if (destination.tls() instanceof TlsPolicy.ImplicitVerified v) {
            // RFC 8314 §3.3: TLS starts at once on the submissions port; the greeting comes over TLS
            try {
                conn.startTls(v.trust(), destination.host(), true, t.command());
                tls = true;
            } catch (IOException e) {
                throw fail("4.7.5", "TLS handshake with " + destination.host() + " failed: " + e.getMessage());
            }
        }
        try {
            greeting = conn.reply(t.greeting(), "the connection (greeting)");
            // RFC 5321 §3.1, §4.2: 220 is the greeting; 554 (or any 5xx) refuses service, 421 is temporary.
            if (greeting.code() != 220) throw failReply("greeting", greeting);
            hello();
            startTls(tryTls);
            if (destination.login().isPresent()) authenticate(destination.login().get());
        } catch (IOException e) {
            throw new SessionFailure(new RecipientOutcome.TemporaryFailure(destination.host(), lost(e)));
        }
    }

    /** EHLO, or HELO when EHLO gets 5xx (RFC 5321 §3.2). */
    private void hello() throws IOException {
        Duration timeout = settings.timeouts().command();
        SmtpReply ehlo = command("EHLO " + settings.heloName(), timeout);
        if (ehlo.code() == 250) {
            capabilities = Capabilities.parse(ehlo);
            return;
        }
        if (ehlo.code() / 100 != 5) throw failReply("EHLO", ehlo);
        SmtpReply helo = command("HELO " + settings.heloName(), timeout);
        if (helo.code() != 250) throw failReply("HELO", helo);
        capabilities = Capabilities.NONE;
    }

    private void startTls(boolean tryTls) throws IOException, TlsFailed {
        if (destination.tls() instanceof TlsPolicy.ImplicitVerified) return;     // TLS since the connect
        boolean required = destination.tls() instanceof TlsPolicy.RequiredVerified;
        if (!required && (!tryTls || !capabilities.startTls())) return;
        if (!capabilities.startTls()) throw fail("4.7.4", "TLS is required but " + destination.host() + " does not offer STARTTLS");
        SmtpReply r = command("STARTTLS", settings.timeouts().command());
        if (r.code() != 220) {
            if (required) throw fail("4.7.4", "TLS is required but STARTTLS was refused: " + new Diagnosis.Remote(r).text());
            if (r.code() / 100 == 2) throw fail("4.5.0", "unexpected reply to STARTTLS: " + new Diagnosis.Remote(r).text());
            return;   // RFC 3207 §4: 454 and the like; go on in plaintext
        }
        if (conn.hasBuffered()) {
            // Anything behind the 220 was sent in plaintext and must not be read as if it came over TLS.
            throw fail("4.5.0", "data after the reply to STARTTLS (an injection attempt?): closing");
        }
        SSLContext context = switch (destination.tls()) {
            case TlsPolicy.Opportunistic _ -> ClientConnection.ANY_CERTIFICATE;
            case TlsPolicy.RequiredVerified v -> v.trust();
            case TlsPolicy.ImplicitVerified v -> v.trust();
        };
        try {
            conn.startTls(context, destination.host(), required, settings.timeouts().command());
        } catch (IOException e) {
            // SSLException for a certificate or protocol failure; a reset, close or timeout when the server's
            // TLS is broken in other ways. Either way this connection is unusable.
            if (required) throw fail("4.7.5", "TLS handshake with " + destination.host() + " failed: " + e.getMessage());
            throw new TlsFailed(e);
        }
        tls = true;
        capabilities = Capabilities.NONE;   // RFC 3207 §4.2: forget what was learned before TLS
        hello();
    }

    private void authenticate(Destination.Login login) throws IOException {
        if (!tls && !login.allowWithoutTls())
            throw fail("4.7.0", "not sending a password to " + destination.host() + " without TLS");
        Credentials c = login.credentials();
        Duration timeout = settings.timeouts().command();
        SmtpReply r;
        if (capabilities.authMechanisms().contains(SaslPlain.NAME)) {
            // RFC 4954 §4: the initial response saves a round trip. The line is never put in a message.
            r = saslResponse("AUTH PLAIN " + SaslPlain.encode(c.username(), c.password()), timeout);
        } else if (capabilities.authMechanisms().contains(SaslLogin.NAME)) {
            r = command("AUTH LOGIN", timeout);
            if (r.code() == 334) r = saslResponse(base64(c.username()), timeout);
            if (r.code() == 334) r = saslResponse(base64(c.password()), timeout);
        } else {
            throw fail("4.7.0", destination.host() + " offers neither PLAIN nor LOGIN (AUTH "
                    + String.join(" ", capabilities.authMechanisms()) + ")");
        }
        if (r.code() != 235) {
            if (r.code() == 334) {
                // A further challenge we have no answer for: cancel it (RFC 4954 §4) and stop.
                saslResponse("*", timeout);
            }
            throw fail("4.7.8", "authentication at " + destination.host() + " failed: " + new Diagnosis.Remote(r).text());
        }
        authenticated = true;
    }

    private static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static String base64(Secret s) {
        return base64(s.reveal());
    }

    /** Sends a command and reads its reply; errors name the verb. */
    private SmtpReply command(String line, Duration timeout) throws IOException {
        conn.command(line);
        int sp = line.indexOf(' ');
        return conn.reply(timeout, sp < 0 ? line : line.substring(0, sp));
    }

    /** Like {@link #command} for a line holding credentials: errors name only AUTH, never the line. */
    private SmtpReply saslResponse(String line, Duration timeout) throws IOException {
        conn.command(line);
        return conn.reply(timeout, "AUTH");
    }

    private SessionFailure fail(String status, String text) {
        return new SessionFailure(RecipientOutcome.failure(destination.host(), Diagnosis.Local.of(status, text)));
    }

    /** A non-2xx reply where set-up needs 2xx: 4xx temporary, 5xx permanent, anything else not SMTP. */
    private SessionFailure failReply(String stage, SmtpReply r) {
        int c = r.code() / 100;
        if (c == 4 || c == 5) return new SessionFailure(RecipientOutcome.failure(destination.host(), r));
        return fail("4.5.0", "unexpected reply to " + stage + ": " + new Diagnosis.Remote(r).text());
    }

    /** The diagnosis for a broken stream: timeout, close, reset or garbage. */
    static Diagnosis.Local lost(IOException e) {
        String kind = e instanceof ReplyReader.BadReplyException ? "4.5.0" : "4.4.2";   // RFC 3463 X.5.0, X.4.2
        return Diagnosis.Local.of(kind, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }

    private void abort() {
        closed = true;
        if (conn != null) conn.close();
    }
}
