package org.postern.server.smtp;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import org.postern.server.config.Config;
import org.postern.server.delivery.DeliveryAgent;
import org.postern.server.directory.Directory;
import org.postern.server.net.ConnectionHandler;
import org.postern.server.net.ConnectionLimiter;
import org.postern.server.net.Listener;
import org.postern.server.store.MailStore;
import org.postern.server.store.NewMail;

/**
 * The SMTP server: any number of listeners of the three {@link ListenerKind}s sharing one set of settings,
 * one connection limiter and one delivery agent.
 *
 * <pre>{@code
 * SmtpServer smtp = new SmtpServer(SmtpSettings.from(config),
 *         new SmtpServer.Services(store, directory, Optional.of(sslContext), Clock.systemUTC(), new AuthThrottle(clock)));
 * smtp.listen(config);   // every SMTP listener of postern.toml, or one by one:
 * smtp.listen(ListenerKind.MX, new InetSocketAddress("0.0.0.0", 25));
 * smtp.listen(ListenerKind.SUBMISSION, new InetSocketAddress("0.0.0.0", 587));
 * smtp.listen(ListenerKind.SUBMISSIONS, new InetSocketAddress("0.0.0.0", 465));
 * …
 * smtp.close();   // stops every listener and closes open sessions
 * }</pre>
 */
public final class SmtpServer implements AutoCloseable {
    /**
     * What the server works with; {@code tls} is needed for STARTTLS and for SUBMISSIONS; {@code authThrottle}
     * counts failed logins per address and account across connections (shared with POP3 and IMAP).
     */
    public record Services(MailStore store, Directory directory, Optional<SSLContext> tls, Clock clock,
                           org.postern.server.net.AuthThrottle authThrottle, NewMail newMail) {
        /** Nobody told of delivered mail (tests of SMTP alone). */
        public Services(MailStore store, Directory directory, Optional<SSLContext> tls, Clock clock,
                        org.postern.server.net.AuthThrottle authThrottle) {
            this(store, directory, tls, clock, authThrottle, NewMail.NONE);
        }
    }

    private final SmtpSettings settings;
    private final Services services;
    private final DeliveryAgent delivery;
    private final ConnectionLimiter limiter;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    public SmtpServer(SmtpSettings settings, Services services) {
        this.settings = settings;
        this.services = services;
        this.delivery = new DeliveryAgent(services.store(), services.directory(), services.clock(), settings.hostname(),
                services.newMail());
        this.limiter = new ConnectionLimiter(settings.maxConnections(), settings.maxConnectionsPerIp());
    }

    /** Opens a listener whose "port in use" message names {@link ListenerKind#configKey()}. */
    public Listener listen(ListenerKind kind, InetSocketAddress address) {
        return listen(kind, address, kind.configKey());
    }

    /**
     * Binds {@code address} and starts accepting.
     *
     * @throws org.postern.server.net.ListenerException when the port cannot be bound (message for the operator)
     * @throws IllegalStateException when the kind needs TLS and no SSLContext was given
     */
    public Listener listen(ListenerKind kind, InetSocketAddress address, String configKey) {
        if (kind == ListenerKind.SUBMISSIONS && services.tls().isEmpty())
            throw new IllegalStateException("the submissions listener (implicit TLS) needs a TLS certificate");
        if (kind == ListenerKind.SUBMISSION && services.tls().isEmpty() && !settings.allowPlaintextAuth())
            throw new IllegalStateException("the submission listener needs a TLS certificate: AUTH is only offered over TLS");
        Optional<SSLContext> implicit = kind == ListenerKind.SUBMISSIONS ? services.tls() : Optional.empty();
        Listener l = Listener.open(new Listener.Endpoint(address, configKey, implicit), limiter, handler(kind));
        listeners.add(l);
        return l;
    }

    /** Opens one listener per address. */
    public List<Listener> listen(ListenerKind kind, List<InetSocketAddress> addresses) {
        return addresses.stream().map(a -> listen(kind, a)).toList();
    }

    /**
     * Opens every SMTP listener postern.toml configures ({@code listeners.smtp}, {@code .submission},
     * {@code .submissions}); on a failure the ones already opened are closed again before the exception
     * propagates.
     */
    public List<Listener> listen(Config config) {
        List<java.util.function.Supplier<Listener>> openers = new java.util.ArrayList<>();
        for (org.postern.server.config.ListenerKind k : org.postern.server.config.ListenerKind.values()) {
            Optional<ListenerKind> kind = ListenerKind.of(k);
            if (kind.isEmpty()) continue;
            for (InetSocketAddress a : config.listeners(k)) openers.add(() -> listen(kind.get(), a, "listeners." + k.key()));
        }
        return Listener.openAll(openers, listeners);
    }

    public List<Listener> listeners() {
        return List.copyOf(listeners);
    }

    public SmtpSettings settings() {
        return settings;
    }

    /** Stops all listeners and closes their open connections. */
    @Override
    public void close() {
        for (Listener l : listeners) l.close();
        listeners.clear();
    }

    Services services() {
        return services;
    }

    DeliveryAgent delivery() {
        return delivery;
    }

    private ConnectionHandler handler(ListenerKind kind) {
        // RFC 5321 §3.1: 421 instead of the 220 greeting when service is not available
        return ConnectionHandler.of("smtp-" + kind.name().toLowerCase(java.util.Locale.ROOT),
                "421 4.7.0 " + settings.hostname() + " too many connections from your address, try again later\r\n",
                connection -> new SmtpSession(this, kind, connection).run());
    }
}
