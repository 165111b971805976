package org.postern.server.imap;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postern.server.net.TestSocket;

/**
 * A raw-socket IMAP client for conversation tests: sends exactly what it is given and reads responses as they
 * come. A response that announces a literal ({@code {n}} at the end of a line) is read with the literal's bytes
 * in place, so one response is one string (it may contain CRLF then).
 */
public final class ImapClient implements AutoCloseable {
    private static final Pattern LITERAL = Pattern.compile("~?\\{(\\d+)}$");

    private final TestSocket conn;
    private int tags;

    public ImapClient(int port) throws IOException {
        this(TestSocket.connect(port));
    }

    private ImapClient(TestSocket conn) {
        this.conn = conn;
    }

    /** Connects to an implicit-TLS port (993). */
    public static ImapClient tls(int port) throws IOException {
        return new ImapClient(TestSocket.tls(port));
    }

    public ImapClient send(String s) throws IOException {
        conn.send(s);
        return this;
    }

    public ImapClient send(byte[] b) throws IOException {
        conn.send(b);
        return this;
    }

    /** One raw line without CRLF, or null at end of stream. */
    public String line() throws IOException {
        return conn.line();
    }

    /** One whole response: a line, and for each literal it announces, the literal and the line after it. */
    public String response() throws IOException {
        byte[] r = responseBytes();
        return r == null ? null : new String(r, UTF_8);
    }

    /**
     * As {@link #response}, but the bytes as they came: a literal need not be UTF-8 text (BINARY's decoded
     * content, RFC 3516). The lines around literals are ASCII, so they are the same bytes either way.
     */
    public byte[] responseBytes() throws IOException {
        String l = line();
        if (l == null) return null;
        ByteArrayOutputStream r = new ByteArrayOutputStream();
        r.writeBytes(l.getBytes(UTF_8));
        Matcher m = LITERAL.matcher(l);
        while (m.find()) {
            r.writeBytes(new byte[] {'\r', '\n'});
            r.writeBytes(conn.readNBytes(Integer.parseInt(m.group(1))));
            String rest = line();
            if (rest == null) break;
            r.writeBytes(rest.getBytes(UTF_8));
            m = LITERAL.matcher(rest);
        }
        return r.toByteArray();
    }

    /** As {@link #command}, with each response as {@link #responseBytes} reads it. */
    public List<byte[]> commandBytes(String command) throws IOException {
        String tag = nextTag();
        send(tag + " " + command + "\r\n");
        List<byte[]> got = new ArrayList<>();
        while (true) {
            byte[] r = responseBytes();
            if (r == null) throw new IOException("connection closed; got " + got.size() + " responses");
            got.add(r);
            if (new String(r, UTF_8).startsWith(tag + " ")) return got;
        }
    }

    /** The next tag: a1, a2 ... */
    public String nextTag() {
        return "a" + (++tags);
    }

    /**
     * Sends {@code tag command} and returns every response up to and including the tagged one (last). Literals
     * in the command must be non-synchronizing ({@code {n+}}) or sent with {@link #send}.
     */
    public List<String> command(String command) throws IOException {
        String tag = nextTag();
        send(tag + " " + command + "\r\n");
        return until(tag);
    }

    /** The responses up to and including the one tagged {@code tag}. */
    public List<String> until(String tag) throws IOException {
        List<String> got = new ArrayList<>();
        while (true) {
            String r = response();
            if (r == null) throw new IOException("connection closed; got " + got);
            got.add(r);
            if (r.startsWith(tag + " ")) return got;
        }
    }

    /** The tagged response of {@code command} (the untagged ones are dropped). */
    public String tagged(String command) throws IOException {
        return command(command).getLast();
    }

    /** Runs {@code command} and checks its tagged response is OK; returns the untagged responses. */
    public List<String> ok(String command) throws IOException {
        List<String> r = command(command);
        assertThat(r.getLast()).as(command).matches("a\\d+ OK.*");
        return r.subList(0, r.size() - 1);
    }

    public ImapClient greeting() throws IOException {
        assertThat(line()).startsWith("* OK ");
        return this;
    }

    /** STARTTLS and the TLS handshake. */
    public ImapClient startTls() throws IOException {
        assertThat(tagged("STARTTLS")).matches("a\\d+ OK .*");
        return handshake();
    }

    /** The client side of the TLS handshake over this connection (after the server's OK to STARTTLS). */
    public ImapClient handshake() throws IOException {
        conn.startTls("127.0.0.1");
        return this;
    }

    public ImapClient login(String user, String password) throws IOException {
        assertThat(tagged("LOGIN " + quote(user) + " " + quote(password))).matches("a\\d+ OK .*");
        return this;
    }

    /** Greeting and login on an implicit-TLS connection. */
    public static ImapClient loggedIn(int imapsPort, String user, String password) throws IOException {
        return tls(imapsPort).greeting().login(user, password);
    }

    public static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** Whether the server closed the connection (end of stream within the socket timeout). */
    public boolean closed() throws IOException {
        return conn.closed();
    }

    public Socket socket() {
        return conn.socket();
    }

    @Override
    public void close() throws IOException {
        conn.close();
    }
}
