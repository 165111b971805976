package org.postern.wire.smtp.client;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.postern.wire.io.LineTooLongException;
import org.postern.wire.io.WireInput;
import org.postern.wire.smtp.SmtpReply;

/**
 * The socket of one client session: bounded reply reading with a timeout per read, buffered command writing
 * with a deadline per write ({@link WriteDeadline}), and the switch to TLS. The session logic is in
 * {@link SmtpClient}.
 */
final class ClientConnection implements AutoCloseable {
    /** RFC 8996 forbids TLS 1.0 and 1.1; the same floor as our servers (docs/decisions/0002-tls-policy.md). */
    private static final String[] TLS_PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final Socket raw;
    private final WriteDeadline deadline;
    private Socket socket;
    private WireInput in;
    private OutputStream out;
    private Duration writeTimeout;
    private long readDeadline;

    private ClientConnection(Socket raw, Duration writeTimeout) throws IOException {
        this.raw = raw;
        this.socket = raw;
        this.writeTimeout = writeTimeout;
        this.deadline = new WriteDeadline(this::abort);
        streams();
    }

    static ClientConnection open(InetSocketAddress address, Duration connectTimeout, Duration writeTimeout) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(address, (int) connectTimeout.toMillis());
            s.setTcpNoDelay(true);   // we write whole commands and groups ourselves; no Nagle delay behind them
            return new ClientConnection(s, writeTimeout);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    private void streams() throws IOException {
        OutputStream timed = new DeadlineOutputStream(socket.getOutputStream());
        out = new BufferedOutputStream(timed, ClientLimits.DATA_BLOCK);
        // Flushing before a blocking read sends any commands still buffered before we wait for their replies.
        in = new WireInput(new DeadlineInputStream(socket.getInputStream()), ClientLimits.MAX_REPLY_LINE, out);
    }

    /**
     * Queues one command line; CRLF is added. Nothing is sent until {@link #flush()} or the next read. The
     * line is built by us from checked values; a CR or LF in it would be a bug that lets data forge a command.
     */
    void command(String line) throws IOException {
        if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0) throw new IllegalArgumentException("line break in a command");
        out.write(line.getBytes(UTF_8));
        out.write('\r');
        out.write('\n');
    }

    void flush() throws IOException {
        out.flush();
    }

    /** The stream a message body is written to, with {@code timeout} per write. */
    OutputStream body(Duration timeout) {
        writeTimeout = timeout;
        return out;
    }

    /**
     * Reads one reply, flushing pending commands first. The whole reply must arrive within {@code timeout}, not
     * each read: a server trickling a byte a minute gets no more time than a silent one. {@code what} names
     * the command in error messages: "no reply to RCPT within PT5M".
     */
    SmtpReply reply(Duration timeout, String what) throws IOException {
        readDeadline = System.nanoTime() + timeout.toNanos();
        writeTimeout = timeout;   // the flush of pending commands before the read
        try {
            return ReplyReader.read(in);
        } catch (SocketTimeoutException e) {
            throw new SocketTimeoutException("no reply to " + what + " within " + timeout);
        } catch (EOFException e) {
            throw new EOFException("connection closed while waiting for the reply to " + what);
        } catch (ReplyReader.BadReplyException | LineTooLongException e) {
            throw new ReplyReader.BadReplyException("bad reply to " + what + ": " + e.getMessage());
        } catch (IOException e) {
            if (deadline.expired()) throw new SocketTimeoutException("a write before the reply to " + what + " timed out");
            throw e;
        }
    }

    /** Whether the server sent bytes we have not read yet (before a TLS handshake: an injection attempt). */
    boolean hasBuffered() {
        return in.hasBuffered();
    }

    /**
     * Starts TLS over the connection (RFC 3207 §4). With {@code verifyHost}, the certificate must name it
     * (RFC 6125, as for HTTPS); the trust anchors are {@code context}'s. {@code host} is also sent as SNI.
     */
    void startTls(SSLContext context, String host, boolean verifyHost, Duration timeout) throws IOException {
        SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(raw, host, raw.getPort(), true);
        SSLParameters params = ssl.getSSLParameters();
        params.setProtocols(TLS_PROTOCOLS);
        if (verifyHost) params.setEndpointIdentificationAlgorithm("HTTPS");
        sniName(host).ifPresent(n -> params.setServerNames(List.of(n)));
        ssl.setSSLParameters(params);
        ssl.setSoTimeout((int) timeout.toMillis());
        socket = ssl;
        ssl.startHandshake();
        streams();
    }

    private static java.util.Optional<SNIHostName> sniName(String host) {
        // RFC 6066 §3: a host name, never an IP address literal.
        if (host.isEmpty() || Character.digit(host.charAt(host.length() - 1), 10) >= 0 || host.contains(":"))
            return java.util.Optional.empty();
        try {
            return java.util.Optional.of(new SNIHostName(host));
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
    }

    /** Closes the socket at once, no QUIT: a stalled write or a broken stream. */
    void abort() {
        try {
            raw.close();
        } catch (IOException ignored) {
            // closing is best effort
        }
    }

    @Override
    public void close() {
        deadline.close();
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is best effort
        } finally {
            abort();
        }
    }

    /** Sets the socket's read timeout to what is left until {@link #readDeadline} before each read. */
    private final class DeadlineInputStream extends java.io.InputStream {
        private final java.io.InputStream source;

        DeadlineInputStream(java.io.InputStream source) {
            this.source = source;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            long leftMillis = (readDeadline - System.nanoTime()) / 1_000_000;
            if (leftMillis <= 0) throw new SocketTimeoutException("read deadline passed");
            socket.setSoTimeout((int) Math.min(leftMillis, Integer.MAX_VALUE));
            return source.read(b, off, len);
        }
    }

    /** Arms {@link #deadline} around each write to the socket. */
    private final class DeadlineOutputStream extends OutputStream {
        private final OutputStream target;

        DeadlineOutputStream(OutputStream target) {
            this.target = target;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            deadline.arm(writeTimeout);
            try {
                target.write(b, off, len);
            } catch (IOException e) {
                if (deadline.expired()) throw new SocketTimeoutException("write not finished within " + writeTimeout);
                throw e;
            } finally {
                deadline.disarm();
            }
        }

        @Override
        public void flush() throws IOException {
            target.flush();
        }
    }

    /**
     * Accepts any certificate: opportunistic TLS to an MX host (RFC 7435). Extended, so the JDK does not wrap
     * it with its own host name and constraint checks.
     */
    static final SSLContext ANY_CERTIFICATE = anyCertificate();

    private static SSLContext anyCertificate() {
        TrustManager trustAll = new X509ExtendedTrustManager() {
            @Override public void checkClientTrusted(X509Certificate[] chain, String authType) {}
            @Override public void checkServerTrusted(X509Certificate[] chain, String authType) {}
            @Override public void checkClientTrusted(X509Certificate[] chain, String authType, Socket s) {}
            @Override public void checkServerTrusted(X509Certificate[] chain, String authType, Socket s) {}
            @Override public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine e) {}
            @Override public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine e) {}
            @Override public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext c = SSLContext.getInstance("TLS");
            c.init(null, new TrustManager[] {trustAll}, null);
            return c;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("no TLS in this JDK", e);
        }
    }
}
