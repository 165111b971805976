package org.postern.client.pop3;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.postern.client.net.Connection;
import org.postern.client.net.Endpoint;
import org.postern.client.net.LineReader;
import org.postern.client.net.ProtocolException;
import org.postern.wire.Secret;
import org.postern.wire.io.LineTooLongException;
import org.postern.wire.sasl.SaslPlain;

/**
 * A POP3 client (RFC 1939, CAPA of RFC 2449, STLS of RFC 2595, AUTH PLAIN of RFC 5034). -ERR answers throw
 * {@link org.postern.client.net.ProtocolException} with the server's text. A broken stream (timeout, malformed
 * answer, an exception from a body consumer) closes the connection; later calls fail.
 */
public final class Pop3Client implements AutoCloseable {
    private final Connection conn;
    private Set<String> capabilities = Set.of();
    private List<String> capaLines = List.of();

    private Pop3Client(Connection conn) {
        this.conn = conn;
    }

    public static Pop3Client connect(Endpoint endpoint, Duration timeout) throws IOException {
        Connection conn = Connection.open(endpoint, timeout);
        Pop3Client c = new Pop3Client(conn);
        try {
            String greeting = conn.guarded(c::readLine);
            if (!greeting.startsWith("+OK"))
                throw new ProtocolException(conn.where() + " did not greet like a POP3 server: " + printable(greeting));
            c.capa();
            if (endpoint.security() == Endpoint.Security.STARTTLS) {
                if (!c.capabilities.contains("STLS"))
                    throw new ProtocolException(conn.where() + " does not offer STLS; not continuing without TLS");
                c.command("STLS", "STLS");
                conn.guarded(() -> {
                    conn.startTls();
                    return null;
                });
                c.capa();       // RFC 2595 §4: capabilities may differ after STLS
            }
            return c;
        } catch (IOException | RuntimeException e) {
            conn.close();
            throw e;
        }
    }

    private void capa() throws IOException {
        String status = send("CAPA");
        if (!status.startsWith("+OK")) {        // RFC 2449 §5: a server without CAPA says -ERR
            capabilities = Set.of();
            capaLines = List.of();
            return;
        }
        List<String> lines = conn.guarded(this::multiLine);
        Set<String> words = new LinkedHashSet<>();
        for (String l : lines) {
            String w = l.strip().split(" ", 2)[0];
            if (!w.isEmpty()) words.add(w.toUpperCase(Locale.ROOT));
        }
        capabilities = Collections.unmodifiableSet(words);
        capaLines = List.copyOf(lines);
    }

    /** CAPA's answer, upper-cased first words (empty when the server has no CAPA). */
    public Set<String> capabilities() {
        return capabilities;
    }

    public boolean isTls() {
        return conn.isTls();
    }

    /**
     * AUTH PLAIN when SASL PLAIN is offered, else USER/PASS; refuses without TLS unless {@code allowPlaintext}. A
     * refused login is an {@link org.postern.client.net.AuthenticationException}.
     */
    public void login(String user, char[] password, boolean allowPlaintext) throws IOException {
        conn.checkPasswordMayBeSent(allowPlaintext);
        checkArgument(user);
        Secret secret = new Secret(password.clone());
        try {
            authenticate(user, secret);
        } catch (ProtocolException e) {
            if (conn.isBroken()) throw e;
            throw new org.postern.client.net.AuthenticationException(e.getMessage());
        } finally {
            secret.wipe();
        }
    }

    private void authenticate(String user, Secret secret) throws IOException {
        if (saslPlain()) {
            // RFC 5034 §4: the initial response on the AUTH line
            command("AUTH PLAIN", "AUTH PLAIN " + SaslPlain.encode(user, secret));
        } else {
            command("USER", "USER " + user);
            checkArgument(secret.reveal());
            command("PASS", "PASS " + secret.reveal());
        }
    }

    private boolean saslPlain() {
        for (String l : capaLines) {
            String[] w = l.strip().toUpperCase(Locale.ROOT).split(" +");
            if (w[0].equals("SASL")) for (int i = 1; i < w.length; i++) if (w[i].equals("PLAIN")) return true;
        }
        return false;
    }

    /** An argument on a command line: no CR, LF or NUL (RFC 1939 §3: arguments are printable, separated by spaces). */
    private static void checkArgument(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) throw new IllegalArgumentException("line breaks are not allowed in a POP3 argument");
        }
    }

    /** UIDL and LIST together: every message's number, unique id and size. */
    public List<Listing> listing() throws IOException {
        command("UIDL", "UIDL");
        Map<Integer, String> uids = new LinkedHashMap<>();
        for (String l : conn.guarded(this::multiLine)) {
            String[] w = l.strip().split(" +");
            if (w.length != 2) throw malformed("UIDL", l);
            String uid = w[1];
            if (uid.length() > Pop3ClientLimits.MAX_UID_CHARS || !uid.chars().allMatch(c -> c >= 0x21 && c <= 0x7e))
                throw malformed("UIDL (unique-id not 1-70 printable characters)", l);
            uids.put(number(w[0], "UIDL", l), uid);
        }
        command("LIST", "LIST");
        List<Listing> out = new ArrayList<>();
        for (String l : conn.guarded(this::multiLine)) {
            String[] w = l.strip().split(" +");
            if (w.length < 2) throw malformed("LIST", l);
            int n = number(w[0], "LIST", l);
            long size;
            try {
                size = Long.parseLong(w[1]);
            } catch (NumberFormatException e) {
                throw malformed("LIST", l);
            }
            String uid = uids.get(n);
            if (uid == null) throw new ProtocolException(conn.where() + " listed message " + n + " in LIST but not in UIDL");
            out.add(new Listing(n, uid, size));
        }
        return out;
    }

    private int number(String s, String what, String line) throws ProtocolException {
        try {
            int n = Integer.parseInt(s);
            if (n < 1) throw malformed(what, line);
            return n;
        } catch (NumberFormatException e) {
            throw malformed(what, line);
        }
    }

    /**
     * RETR n, the message dot-unstuffed and streamed (never held whole in memory). The consumer may read less; the
     * rest is read and dropped up to the terminating ".". Line ends are passed on as the server sent them (CRLF).
     */
    public void retrieve(int number, BodyConsumer consumer) throws IOException {
        command("RETR", "RETR " + number);
        conn.guarded(() -> {
            try (DotUnstuffing body = new DotUnstuffing(conn.in(), Pop3ClientLimits.MAX_MESSAGE_BYTES, conn.where())) {
                consumer.accept(body);
                body.transferTo(java.io.OutputStream.nullOutputStream());
            }
            return null;
        });
    }

    public void delete(int number) throws IOException {
        command("DELE", "DELE " + number);
    }

    /** QUIT: the server commits the deletions (UPDATE state) only now. */
    public void quit() throws IOException {
        try {
            command("QUIT", "QUIT");
        } finally {
            close();
        }
    }

    @Override
    public void close() {
        conn.close();
    }

    // ---- protocol

    private void command(String what, String line) throws IOException {
        String status = send(line);
        if (!status.startsWith("+OK"))
            throw new ProtocolException(what + " refused by " + conn.where() + ": " + printable(status));
    }

    /** Sends one line and reads the status line. */
    private String send(String line) throws IOException {
        conn.checkUsable();
        return conn.guarded(() -> {
            conn.out().write((line + "\r\n").getBytes(UTF_8));
            conn.out().flush();
            String status = readLine();
            if (!status.startsWith("+OK") && !status.startsWith("-ERR"))
                throw new ProtocolException(conn.where() + " answered neither +OK nor -ERR: " + printable(status));
            return status;
        });
    }

    private String readLine() throws IOException {
        try {
            return new String(conn.in().readLine(Pop3ClientLimits.MAX_LINE_BYTES), UTF_8);
        } catch (LineTooLongException e) {
            throw new ProtocolException(conn.where() + " sent a line longer than " + Pop3ClientLimits.MAX_LINE_BYTES + " bytes", e);
        }
    }

    /** RFC 1939 §3: lines up to a lone ".", dot-unstuffed. */
    private List<String> multiLine() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String l = readLine();
            if (l.equals(".")) return lines;
            if (lines.size() == Pop3ClientLimits.MAX_LISTING_LINES)
                throw new ProtocolException(conn.where() + " sent more than " + Pop3ClientLimits.MAX_LISTING_LINES + " lines in one answer");
            lines.add(l.startsWith(".") ? l.substring(1) : l);
        }
    }

    private ProtocolException malformed(String what, String line) {
        return new ProtocolException(conn.where() + " sent a malformed " + what + " line: " + printable(line));
    }

    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && i < 200; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return b.toString();
    }

    public record Listing(int number, String uid, long size) {}

    @FunctionalInterface
    public interface BodyConsumer {
        void accept(InputStream body) throws IOException;
    }

    /**
     * The RETR answer up to its ".CRLF" line, with the leading dot of dot-stuffed lines removed (RFC 1939 §3), byte
     * by byte through the reader's buffer: no line is buffered, so no line length limit applies, only
     * {@link Pop3ClientLimits#MAX_MESSAGE_BYTES} in all.
     */
    static final class DotUnstuffing extends InputStream {
        private final LineReader in;
        private final long max;
        private final String where;
        private long count;
        private boolean lineStart = true, done;

        DotUnstuffing(LineReader in, long max, String where) {
            this.in = in;
            this.max = max;
            this.where = where;
        }

        @Override
        public int read() throws IOException {
            if (done) return -1;
            int b = next();
            if (lineStart && b == '.') {
                int c = next();
                if (c == '\r') {
                    if (next() == '\n') {
                        done = true;
                        return -1;
                    }
                    throw new ProtocolException(where + " sent a bare CR after a leading dot in a message");
                }
                if (c == '\n') {        // a lenient end: ".LF"
                    done = true;
                    return -1;
                }
                b = c;      // dot-stuffed: drop the dot
            }
            lineStart = b == '\n';
            if (++count > max) throw new ProtocolException(where + " sent a message longer than " + max + " bytes");
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            if (len == 0) return 0;
            int n = 0;
            while (n < len) {
                int b = read();
                if (b < 0) break;
                buf[off + n++] = (byte) b;
                if (b == '\n') break;       // return per line so a consumer sees data promptly
            }
            return n == 0 ? -1 : n;
        }

        private int next() throws IOException {
            int b = in.read();
            if (b < 0) throw new EOFException("connection closed by " + where + " before the end of the message");
            return b;
        }
    }
}
