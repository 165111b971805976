package org.postern.server.imap;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.postern.server.config.Config;
import org.postern.server.config.ListenerKind;
import org.postern.server.directory.Directory;
import org.postern.server.net.AuthThrottle;
import org.postern.server.net.ConnectionHandler;
import org.postern.server.net.ConnectionLimiter;
import org.postern.server.net.Listener;
import org.postern.server.store.MailStore;
import org.postern.server.store.NewMail;

/**
 * The IMAP server (RFC 9051 and RFC 3501 in one): listeners of kind {@link ListenerKind#IMAP} (STARTTLS) and
 * {@link ListenerKind#IMAPS} (implicit TLS, RFC 8314) sharing one connection limiter.
 *
 * <pre>{@code
 * ImapServer imap = new ImapServer(ImapSettings.from(config),
 *         new ImapServer.Services(store, directory, Optional.of(sslContext), authThrottle));
 * imap.listen(config);   // every IMAP listener of postern.toml
 * imap.close();
 * }</pre>
 */
public final class ImapServer implements AutoCloseable {
    /**
     * What the server works with; {@code authThrottle} is shared with SMTP and POP3 (one per process), and so is
     * {@code envelopes}, which SMTP delivery fills with each new message's ENVELOPE ({@link NewMail}).
     */
    public record Services(MailStore store, Directory directory, Optional<SSLContext> tls, AuthThrottle authThrottle,
                           EnvelopeCache envelopes) {
        /** With an envelope cache of its own: IMAP APPEND and FETCH fill it, SMTP delivery does not. */
        public Services(MailStore store, Directory directory, Optional<SSLContext> tls, AuthThrottle authThrottle) {
            this(store, directory, tls, authThrottle, new EnvelopeCache());
        }
    }

    private final ImapSettings settings;
    private final Services services;
    private final ConnectionLimiter limiter;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final RecentClaims recent = new RecentClaims();

    public ImapServer(ImapSettings settings, Services services) {
        this.settings = settings;
        this.services = services;
        this.limiter = new ConnectionLimiter(settings.maxConnections(), settings.maxConnectionsPerIp());
    }

    /**
     * Binds {@code address} and starts accepting.
     *
     * @throws org.postern.server.net.ListenerException when the port cannot be bound (message for the operator)
     * @throws IllegalStateException when IMAPS has no SSLContext, or IMAP has none and plaintext login is refused
     */
    public Listener listen(ListenerKind kind, InetSocketAddress address) {
        if (kind.protocol() != ListenerKind.Protocol.IMAP) throw new IllegalArgumentException(kind + " is not an IMAP listener");
        Listener l = Listener.openForLogins(kind.key(), kind.implicitTls(), address, services.tls(), settings.allowPlaintextAuth(),
                limiter, handler(kind));
        listeners.add(l);
        return l;
    }

    /** Opens every IMAP listener of postern.toml; on a failure the ones already opened are closed again. */
    public List<Listener> listen(Config config) {
        List<Supplier<Listener>> openers = new ArrayList<>();
        for (ListenerKind k : List.of(ListenerKind.IMAP, ListenerKind.IMAPS)) {
            for (InetSocketAddress a : config.listeners(k)) openers.add(() -> listen(k, a));
        }
        return Listener.openAll(openers, listeners);
    }

    public List<Listener> listeners() {
        return List.copyOf(listeners);
    }

    @Override
    public void close() {
        for (Listener l : listeners) l.close();
        listeners.clear();
    }

    ImapSettings settings() {
        return settings;
    }

    Services services() {
        return services;
    }

    /** Rendered ENVELOPEs, shared by all IMAP sessions (and filled by delivery). */
    EnvelopeCache envelopes() {
        return services.envelopes();
    }

    /** Which session is the first to see each message (RFC 3501 \Recent), shared by all IMAP sessions. */
    RecentClaims recent() {
        return recent;
    }

    private ConnectionHandler handler(ListenerKind kind) {
        return ConnectionHandler.of(kind.key(), "* BYE [UNAVAILABLE] too many connections from your address\r\n",
                connection -> new ImapSession(this, connection).run());
    }
}
