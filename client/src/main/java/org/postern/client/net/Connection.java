package org.postern.client.net;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One client connection: a socket (TLS from the first byte for {@link Endpoint.Security#IMPLICIT_TLS}, RFC 8314),
 * a {@link LineReader} and a buffered writer, with the read timeout applied to every read. {@link #startTls()}
 * upgrades in place after the protocol's STARTTLS/STLS was accepted.
 *
 * <p>TLS: the certificate must chain to {@link Endpoint#trust()} (else the JDK's default trust store) and name the
 * host we connected to (RFC 6125, the JDK's "HTTPS" endpoint identification, which checks DNS names and IP
 * addresses in the subjectAltName); the host name goes out as SNI (RFC 6066 §3). There is no way to turn this
 * off: a self-hosted server's certificate is trusted by giving its trust, not by skipping the check.
 */
public final class Connection implements AutoCloseable {
    private final Endpoint endpoint;
    private Socket socket;
    private LineReader in;
    private OutputStream out;
    private boolean tls;
    /** Out of step with the protocol after a failure ({@link #fail()}); closed. */
    private boolean broken;
    private boolean closed;

    private Connection(Endpoint endpoint, Socket socket) throws IOException {
        this.endpoint = endpoint;
        attach(socket);
    }

    /**
     * Connects within {@code timeout}, which is then also the read timeout, and does the TLS handshake for
     * implicit TLS. Failures are {@link IOException}s whose message names the host and port and what went wrong.
     */
    public static Connection open(Endpoint endpoint, Duration timeout) throws IOException {
        int millis = timeoutMillis(timeout);
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), millis);
            socket.setSoTimeout(millis);
            socket.setTcpNoDelay(true);
        } catch (SocketTimeoutException e) {
            socket.close();
            throw new SocketTimeoutException("no connection to " + endpoint.where() + " within " + timeout.toSeconds() + " s");
        } catch (IOException e) {
            socket.close();
            throw new IOException("cannot connect to " + endpoint.where() + ": " + e.getMessage(), e);
        }
        try {
            Connection c = new Connection(endpoint, socket);
            if (endpoint.security() == Endpoint.Security.IMPLICIT_TLS) c.startTls();
            return c;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private static int timeoutMillis(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout must be positive: " + timeout);
        return (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    }

    private void attach(Socket s) throws IOException {
        socket = s;
        in = new LineReader(s.getInputStream());
        out = new BufferedOutputStream(s.getOutputStream(), 16 * 1024);
    }

    /**
     * Starts TLS on this connection (implicit TLS, or after the server accepted STARTTLS/STLS). Bytes the server
     * sent behind its "go ahead" before the handshake would be an attacker's injection (RFC 3207 §4, RFC 2595
     * §3.1, CVE-2011-0411): they fail the connection.
     */
    public void startTls() throws IOException {
        if (tls) throw new IllegalStateException("TLS is already active");
        if (in.hasBuffered())
            throw new ProtocolException(endpoint.where() + " sent data behind its answer to STARTTLS before the TLS "
                    + "handshake (an injection attempt?); connection closed");
        SSLSocket ssl = (SSLSocket) endpoint.trustOrDefault().getSocketFactory().createSocket(socket, endpoint.host(), endpoint.port(), true);
        SSLParameters params = ssl.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");    // RFC 6125 name check (and RFC 2818's rules)
        ssl.setSSLParameters(params);
        ssl.setUseClientMode(true);
        try {
            ssl.startHandshake();
        } catch (SSLHandshakeException e) {
            ssl.close();
            throw new ProtocolException("TLS with " + endpoint.where() + " failed: " + handshakeReason(e), e);
        } catch (SSLException e) {
            ssl.close();
            throw new ProtocolException("TLS with " + endpoint.where() + " failed: " + e.getMessage(), e);
        }
        attach(ssl);
        tls = true;
    }

    private static String handshakeReason(SSLHandshakeException e) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("PKIX") || m.contains("certification path"))
            return "the server's certificate is not trusted (not signed by a trusted authority; for a self-signed "
                    + "certificate, give its PEM file as certificate_file in the account's server settings)";
        if (m.contains("No subject alternative") || m.contains("doesn't match") || m.contains("No name matching"))
            return "the server's certificate does not name this host (" + m + ")";
        return m;
    }

    public LineReader in() {
        return in;
    }

    /** Buffered; callers flush once a command is complete. */
    public OutputStream out() {
        return out;
    }

    public boolean isTls() {
        return tls;
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    /**
     * Refuses, before a password is sent, on a connection without TLS unless the account allows plaintext
     * (RFC 8314 recommends TLS for every mail access; a password in the clear is the account's explicit choice).
     */
    public void checkPasswordMayBeSent(boolean allowPlaintext) throws ProtocolException {
        if (!isTls() && !allowPlaintext)
            throw new ProtocolException("not sending the password to " + where() + " over a connection without TLS "
                    + "(the account does not allow plaintext)");
    }

    /** "host:port", for messages. */
    public String where() {
        return endpoint.where();
    }

    /** Protocol I/O, for {@link #guarded}. */
    @FunctionalInterface
    public interface Io<T> {
        T run() throws IOException;
    }

    /**
     * Runs protocol I/O. Any failure (a timeout, a malformed answer, an exception from the consumer of a streamed
     * body) leaves the connection out of step with the protocol, so it is {@linkplain #fail() failed}.
     */
    public <T> T guarded(Io<T> io) throws IOException {
        try {
            return io.run();
        } catch (IOException | RuntimeException e) {
            fail();
            throw e;
        }
    }

    /** Closes the connection as out of step: every later {@link #checkUsable()} says so. */
    public void fail() {
        broken = true;
        close();
    }

    /** Whether a failure put the connection out of step (as opposed to a refusal it can carry on after). */
    public boolean isBroken() {
        return broken;
    }

    /** Neither closed nor failed. */
    public boolean isUsable() {
        return !closed && !broken;
    }

    /** Refuses a command on a connection that is closed, or failed earlier. */
    public void checkUsable() throws ProtocolException {
        if (!isUsable()) throw new ProtocolException("the connection to " + where() + " is closed"
                + (broken ? " after an earlier error" : ""));
    }

    @Override
    public void close() {
        closed = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing: nothing left to do with an error
        }
    }
}
