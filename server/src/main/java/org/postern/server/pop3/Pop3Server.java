package org.postern.server.pop3;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import org.postern.server.config.Config;
import org.postern.server.config.ListenerKind;
import org.postern.server.directory.Directory;
import org.postern.server.net.AuthThrottle;
import org.postern.server.net.ConnectionHandler;
import org.postern.server.net.ConnectionLimiter;
import org.postern.server.net.Listener;
import org.postern.server.store.AccountId;
import org.postern.server.store.MailStore;

/**
 * The POP3 server (RFC 1939): listeners of kind {@link ListenerKind#POP3} (STLS, RFC 2595) and
 * {@link ListenerKind#POP3S} (implicit TLS, RFC 8314) sharing one connection limiter and one set of maildrop
 * locks.
 *
 * <pre>{@code
 * Pop3Server pop3 = new Pop3Server(Pop3Settings.from(config),
 *         new Pop3Server.Services(store, directory, Optional.of(sslContext), authThrottle));
 * pop3.listen(config);   // every POP3 listener of postern.toml
 * pop3.close();
 * }</pre>
 */
public final class Pop3Server implements AutoCloseable {
    /** What the server works with; {@code authThrottle} is shared with SMTP and IMAP (one per process). */
    public record Services(MailStore store, Directory directory, Optional<SSLContext> tls, AuthThrottle authThrottle) {}

    private final Pop3Settings settings;
    private final Services services;
    private final ConnectionLimiter limiter;
    private final Set<AccountId> locked = ConcurrentHashMap.newKeySet();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    public Pop3Server(Pop3Settings settings, Services services) {
        this.settings = settings;
        this.services = services;
        this.limiter = new ConnectionLimiter(settings.maxConnections(), settings.maxConnectionsPerIp());
    }

    /**
     * Binds {@code address} and starts accepting.
     *
     * @throws org.postern.server.net.ListenerException when the port cannot be bound (message for the operator)
     * @throws IllegalStateException when the kind is not POP3, or is POP3S and no SSLContext was given
     */
    public Listener listen(ListenerKind kind, InetSocketAddress address) {
        if (kind.protocol() != ListenerKind.Protocol.POP3) throw new IllegalArgumentException(kind + " is not a POP3 listener");
        Listener l = Listener.openForLogins(kind.key(), kind.implicitTls(), address, services.tls(), settings.allowPlaintextAuth(),
                limiter, handler(kind));
        listeners.add(l);
        return l;
    }

    /** Opens every POP3 listener of postern.toml; on a failure the ones already opened are closed again. */
    public List<Listener> listen(Config config) {
        List<java.util.function.Supplier<Listener>> openers = new ArrayList<>();
        for (ListenerKind k : List.of(ListenerKind.POP3, ListenerKind.POP3S)) {
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

    Pop3Settings settings() {
        return settings;
    }

    Services services() {
        return services;
    }

    /** RFC 1939 §8: one session per maildrop at a time; false when another session holds it. */
    boolean lock(AccountId account) {
        return locked.add(account);
    }

    void unlock(AccountId account) {
        locked.remove(account);
    }

    private ConnectionHandler handler(ListenerKind kind) {
        return ConnectionHandler.of(kind.key(), "-ERR [SYS/TEMP] too many connections from your address\r\n",
                connection -> new Pop3Session(this, connection).run());
    }
}
