package org.postern.server.net;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.postern.wire.io.WireInput;

/**
 * One line-based connection's reading and writing (SMTP, POP3; IMAP). Replies are buffered and go out when
 * the input buffer runs dry ({@link WireInput}'s flush-before-blocking), which batches the replies to
 * pipelined commands (RFC 2920, RFC 2449 PIPELINING) and never holds one back while we wait for the client.
 */
public final class SessionIo {
    /** Replies are small; one buffer holds a whole batch of pipelined replies, or a chunk of a message. */
    private static final int OUTPUT_BUFFER = 8192;
    private static final java.util.regex.Pattern CONTROL = java.util.regex.Pattern.compile("\\p{Cntrl}");

    private final int maxLineBytes;
    private final Socket raw;
    private final Duration writeTimeout;
    private Socket socket;
    private DeadlineInput deadline;
    private WireInput in;
    private OutputStream out;

    /**
     * @param maxLineBytes the longest command line accepted, CRLF included
     * @param writeTimeout how long one socket write may block before the connection is closed
     *                     ({@link WriteDeadline}): the protocol's own command timeout is the usual choice
     */
    public SessionIo(Socket socket, int maxLineBytes, Duration writeTimeout) throws IOException {
        this.maxLineBytes = maxLineBytes;
        this.raw = socket;
        this.writeTimeout = writeTimeout;
        attach(socket);
    }

    private void attach(Socket s) throws IOException {
        socket = s;
        out = new BufferedOutputStream(new WriteDeadline(s.getOutputStream(), raw, writeTimeout), OUTPUT_BUFFER);
        deadline = new DeadlineInput(s, s.getInputStream());
        in = new WireInput(deadline, maxLineBytes, out::flush);
    }

    public WireInput input() {
        return in;
    }

    public String readLine() throws IOException {
        return in.readLine();
    }

    /** Buffers {@code text} (UTF-8) for sending. */
    public void write(String text) throws IOException {
        out.write(text.getBytes(UTF_8));
    }

    /** Writes and flushes {@code text} as a connection ends: a client that is gone already is no error. */
    public void lastWords(String text) {
        try {
            write(text);
            out.flush();
        } catch (IOException | RuntimeException ignored) {
            // the connection is ending anyway
        }
    }

    /** Flushes what is buffered as a connection ends; a client that is gone already is no error. */
    public void flushQuietly() {
        try {
            out.flush();
        } catch (IOException | RuntimeException ignored) {
            // the client is gone
        }
    }

    /**
     * Text a client chose (a user name), made safe for our log: control characters become '?' (no forged log
     * lines) and at most 100 characters are kept.
     */
    public static String printable(String s) {
        String t = s.length() > 100 ? s.substring(0, 100) + "…" : s;
        return CONTROL.matcher(t).replaceAll("?");
    }

    /** The buffered output, for streaming a message body; flushed like replies. */
    public OutputStream output() {
        return out;
    }

    public void flush() throws IOException {
        out.flush();
    }

    /** Starts the next record (command line, message body): per read {@code d}, in all {@code d} plus the rate
     *  allowance of {@link DeadlineInput}, so a byte-by-byte trickle cannot hold the connection. */
    public void timeout(Duration d) throws IOException {
        deadline.arm(d);
    }

    public boolean isTls() {
        return socket instanceof SSLSocket;
    }

    public Optional<String> tlsProtocol() {
        return socket instanceof SSLSocket s ? Optional.of(s.getSession().getProtocol()) : Optional.empty();
    }

    /**
     * After "220 ready to start TLS" has been flushed: drops what the client sent behind STARTTLS in plaintext
     * (RFC 3207 §4, CVE-2011-0411), then does the server handshake. Returns the number of bytes dropped.
     */
    public int startTls(SSLContext tls, Duration handshakeTimeout) throws IOException {
        int dropped = in.discardBuffered();
        SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(socket, null, socket.getPort(), true);
        s.setUseClientMode(false);
        s.setSoTimeout((int) handshakeTimeout.toMillis());
        s.startHandshake();
        attach(s);
        return dropped;
    }

    /** The socket to close at the end (the TLS one once STARTTLS succeeded). */
    public Socket socket() {
        return socket;
    }
}
