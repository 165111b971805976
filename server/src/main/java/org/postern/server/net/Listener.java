package org.postern.server.net;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts on one port; one thread per connection ({@link ConnectionThreads}: pooled platform threads, then
 * virtual ones); protocol-neutral (SMTP, POP3 and IMAP use it). The acceptor is a platform thread: a new
 * connection is taken without a poller hand-off.
 *
 * <p>The total-connections permit is taken <em>before</em> {@code accept()} (Helidon), so at the cap new
 * clients wait in the backlog. Right after accept the per-address cap is checked and a client over it gets
 * the handler's {@link ConnectionHandler#tooBusy()} line and a close. On an implicit-TLS port (465, 993,
 * 995) the socket is wrapped and the handshake done before the handler sees it.
 */
public final class Listener implements AutoCloseable {
    /**
     * Where and how to listen.
     *
     * @param configKey   the setting an operator changes to move this listener, named in error messages
     * @param implicitTls TLS from the first byte (RFC 8314), or plain
     */
    public record Endpoint(InetSocketAddress address, String configKey, Optional<SSLContext> implicitTls) {}

    /** A client that connects to an implicit-TLS port and stays silent holds a permit; not for longer. */
    static final Duration TLS_HANDSHAKE_TIMEOUT = Duration.ofSeconds(30);
    /** After a failed accept() (e.g. out of file descriptors) wait before trying again, rather than spin. */
    static final Duration ACCEPT_BACKOFF = Duration.ofMillis(100);
    /** Pending connections the kernel keeps for us while we are at the connection cap. */
    static final int BACKLOG = 256;
    /** Writing the "too busy" line must not hang on a client that does not read. */
    static final Duration REFUSAL_WRITE_TIMEOUT = Duration.ofSeconds(10);

    private static final Logger log = LoggerFactory.getLogger(Listener.class);
    private static final AtomicLong connectionIds = new AtomicLong();

    private final ServerSocket serverSocket;
    private final Endpoint endpoint;
    private final ConnectionLimiter limiter;
    private final ConnectionHandler handler;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean closed;

    private Listener(ServerSocket serverSocket, Endpoint endpoint, ConnectionLimiter limiter, ConnectionHandler handler) {
        this.serverSocket = serverSocket;
        this.endpoint = endpoint;
        this.limiter = limiter;
        this.handler = handler;
        this.acceptor = Thread.ofPlatform().daemon(true).name(handler.name() + "-accept").unstarted(this::run);
    }

    /**
     * Opens a listener where users log in (POP3, IMAP) after checking its TLS needs: the implicit-TLS port needs a
     * certificate, and so does the plaintext port unless the operator allowed plaintext login (else nobody could
     * log in there).
     *
     * @param name the listener's key in postern.toml ({@code imap}, {@code pop3s} ...), for the message
     * @throws IllegalStateException saying what is missing
     */
    public static Listener openForLogins(String name, boolean implicitTls, InetSocketAddress address, Optional<SSLContext> tls,
                                         boolean allowPlaintextAuth, ConnectionLimiter limiter, ConnectionHandler handler) {
        if (implicitTls && tls.isEmpty())
            throw new IllegalStateException("the " + name + " listener (implicit TLS) needs a TLS certificate");
        if (!implicitTls && tls.isEmpty() && !allowPlaintextAuth)
            throw new IllegalStateException("the " + name + " listener needs a TLS certificate: login is only allowed over TLS");
        return open(new Endpoint(address, "listeners." + name, implicitTls ? tls : Optional.empty()), limiter, handler);
    }

    /**
     * Binds and starts accepting. A port that cannot be bound gives a {@link ListenerException} whose message
     * says what to do, e.g. "port 2525 on 127.0.0.1 is already in use by another program: stop it or change
     * listeners.smtp in postern.toml".
     */
    public static Listener open(Endpoint endpoint, ConnectionLimiter limiter, ConnectionHandler handler) {
        ServerSocket ss = null;
        try {
            ss = new ServerSocket();
            ss.setReuseAddress(true);
            ss.bind(endpoint.address(), BACKLOG);
        } catch (IOException e) {
            closeQuietly(ss);
            throw new ListenerException(bindProblem(endpoint, e), e);
        }
        Listener l = new Listener(ss, endpoint, limiter, handler);
        l.acceptor.start();
        log.info("{} listening on {}{}", handler.name(), l.address(), endpoint.implicitTls().isPresent() ? " (TLS)" : "");
        return l;
    }

    /**
     * Opens a server's configured listeners in turn; if one fails (a port in use), the ones already opened
     * are closed and dropped from {@code registry} before the exception propagates, so a failed start leaves
     * no port bound.
     */
    public static List<Listener> openAll(List<Supplier<Listener>> openers, Collection<Listener> registry) {
        List<Listener> opened = new ArrayList<>();
        try {
            for (Supplier<Listener> open : openers) opened.add(open.get());
            return opened;
        } catch (RuntimeException e) {
            for (Listener l : opened) {
                l.close();
                registry.remove(l);
            }
            throw e;
        }
    }

    private static String bindProblem(Endpoint endpoint, IOException e) {
        InetSocketAddress a = endpoint.address();
        String where = "port " + a.getPort() + " on " + (a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress());
        String fix = "change " + endpoint.configKey() + " in postern.toml";
        String msg = String.valueOf(e.getMessage());
        if (e instanceof BindException && msg.contains("in use"))
            return where + " is already in use by another program: stop it or " + fix;
        if (e instanceof BindException && (msg.contains("ermission") || msg.contains("denied")))
            return where + " needs privileges (ports below 1024): run with CAP_NET_BIND_SERVICE or " + fix;
        if (e instanceof BindException && msg.contains("assign"))
            return where + ": this machine has no such address; " + fix;
        return "cannot listen on " + where + " (" + msg + "): " + fix;
    }

    /** The bound address (with the real port when 0 was asked for). */
    public InetSocketAddress address() {
        return (InetSocketAddress) serverSocket.getLocalSocketAddress();
    }

    public int port() {
        return serverSocket.getLocalPort();
    }

    public String name() {
        return handler.name();
    }

    /** Connections this listener is serving now. */
    public int openConnections() {
        return open.size();
    }

    private void run() {
        while (!closed) {
            try {
                limiter.acquireSlot();   // before accept (Helidon)
            } catch (InterruptedException e) {
                return;   // close()
            }
            Socket socket;
            try {
                socket = serverSocket.accept();
            } catch (IOException e) {
                limiter.releaseSlot();
                if (closed) return;
                log.warn("{}: accept failed: {}", handler.name(), e.toString());
                Delays.pause(ACCEPT_BACKOFF);
                continue;
            }
            long id = connectionIds.incrementAndGet();
            ConnectionThreads.start(handler.name() + "-" + id, () -> serve(socket, id));
        }
    }

    private void serve(Socket socket, long id) {
        open.add(socket);
        InetSocketAddress remote = (InetSocketAddress) socket.getRemoteSocketAddress();
        boolean counted = false;
        Socket conn = socket;
        try {
            if (closed) return;
            // Every session writes a whole reply (or a batch of them) and flushes once, so Nagle's algorithm only
            // adds delay: it held the last segment of a big IMAP FETCH back until the client's delayed ACK
            // (40 ms on Linux), which was more than half of a FETCH 1:* of 10,000 envelopes.
            socket.setTcpNoDelay(true);
            counted = limiter.tryAcquire(remote.getAddress());
            if (!counted) {
                log.info("{} conn={} refused: {} has too many connections open", handler.name(), id, remote.getAddress().getHostAddress());
                socket.setSoTimeout((int) REFUSAL_WRITE_TIMEOUT.toMillis());
                socket.getOutputStream().write(handler.tooBusy().getBytes(US_ASCII));
                socket.getOutputStream().flush();
                return;
            }
            if (endpoint.implicitTls().isPresent()) conn = handshake(socket, endpoint.implicitTls().get());
            handler.serve(new Connection(id, conn, remote, (InetSocketAddress) socket.getLocalSocketAddress()));
        } catch (IOException e) {
            log.debug("{} conn={} ended: {}", handler.name(), id, e.toString());   // peers vanish; not a warning
        } catch (RuntimeException e) {
            log.warn("{} conn={} unexpected failure in session", handler.name(), id, e);
        } finally {
            if (conn != socket) closeQuietly(conn);
            closeQuietly(socket);
            open.remove(socket);
            if (counted) limiter.release(remote.getAddress());
            limiter.releaseSlot();
        }
    }

    private static SSLSocket handshake(Socket socket, SSLContext tls) throws IOException {
        SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(socket, null, socket.getPort(), true);
        s.setUseClientMode(false);
        s.setSoTimeout((int) TLS_HANDSHAKE_TIMEOUT.toMillis());
        s.startHandshake();
        return s;
    }

    /** Stops accepting and closes every open connection of this listener (their sessions end with an I/O error). */
    @Override
    public void close() {
        closed = true;
        closeQuietly(serverSocket);
        acceptor.interrupt();
        for (Socket s : open) closeQuietly(s);
        try {
            acceptor.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("{} on {} closed", handler.name(), address());
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) return;
        try {
            c.close();
        } catch (Exception ignored) {
            // closing is best effort
        }
    }
}
