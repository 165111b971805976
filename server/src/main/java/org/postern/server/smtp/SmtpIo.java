package org.postern.server.smtp;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.postern.server.net.DeadlineInput;
import org.postern.wire.io.WireInput;
import org.postern.wire.smtp.SmtpReply;

/**
 * One connection's reading and writing. Replies are buffered and go out when the input buffer runs dry
 * ({@link WireInput}'s flush-before-blocking), which batches the replies to pipelined commands (RFC 2920).
 */
final class SmtpIo {
    /** Replies are small; one buffer holds a whole batch of pipelined replies. */
    private static final int OUTPUT_BUFFER = 8192;

    private Socket socket;
    private DeadlineInput deadline;
    private WireInput in;
    private OutputStream out;

    SmtpIo(Socket socket) throws IOException {
        attach(socket);
    }

    private void attach(Socket s) throws IOException {
        socket = s;
        out = new BufferedOutputStream(s.getOutputStream(), OUTPUT_BUFFER);
        deadline = new DeadlineInput(s, s.getInputStream());
        in = new WireInput(deadline, SmtpLimits.MAX_COMMAND_LINE, out::flush);
    }

    WireInput input() {
        return in;
    }

    String readLine() throws IOException {
        return in.readLine();
    }

    void reply(SmtpReply r) throws IOException {
        out.write(r.encode().getBytes(UTF_8));
    }

    void flush() throws IOException {
        out.flush();
    }

    /** Starts the next record (command line, message body): per read {@code d}, in all {@code d} plus the rate
     *  allowance of {@link DeadlineInput}, so a byte-by-byte trickle cannot hold the connection. */
    void timeout(Duration d) throws IOException {
        deadline.arm(d);
    }

    boolean isTls() {
        return socket instanceof SSLSocket;
    }

    Optional<String> tlsProtocol() {
        return socket instanceof SSLSocket s ? Optional.of(s.getSession().getProtocol()) : Optional.empty();
    }

    /**
     * After "220 ready to start TLS" has been flushed: drops what the client sent behind STARTTLS in plaintext
     * (RFC 3207 §4, CVE-2011-0411), then does the server handshake. Returns the number of bytes dropped.
     */
    int startTls(SSLContext tls, Duration handshakeTimeout) throws IOException {
        int dropped = in.discardBuffered();
        SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(socket, null, socket.getPort(), true);
        s.setUseClientMode(false);
        s.setSoTimeout((int) handshakeTimeout.toMillis());
        s.startHandshake();
        attach(s);
        return dropped;
    }

    /** The socket to close at the end (the TLS one once STARTTLS succeeded). */
    Socket socket() {
        return socket;
    }
}
