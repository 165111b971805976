package org.postern.server.imap;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSocket;
import org.postern.server.smtp.TestTls;

/**
 * A raw-socket IMAP client for conversation tests: sends exactly what it is given and reads responses as they
 * come. A response that announces a literal ({@code {n}} at the end of a line) is read with the literal's bytes
 * in place, so one response is one string (it may contain CRLF then).
 */
public final class ImapClient implements AutoCloseable {
    private static final Pattern LITERAL = Pattern.compile("~?\\{(\\d+)}$");

    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private int tags;

    public ImapClient(int port) throws IOException {
        attach(new Socket("127.0.0.1", port));
    }

    /** Connects to an implicit-TLS port (993). */
    public static ImapClient tls(int port) throws IOException {
        SSLSocket s = (SSLSocket) TestTls.clientFactory().createSocket("127.0.0.1", port);
        s.startHandshake();
        ImapClient c = new ImapClient();
        c.attach(s);
        return c;
    }

    private ImapClient() {}

    private void attach(Socket s) throws IOException {
        socket = s;
        socket.setSoTimeout(10_000);
        in = s.getInputStream();
        out = s.getOutputStream();
    }

    public ImapClient send(String s) throws IOException {
        return send(s.getBytes(UTF_8));
    }

    public ImapClient send(byte[] b) throws IOException {
        out.write(b);
        out.flush();
        return this;
    }

    /** One raw line without CRLF, or null at end of stream. */
    public String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (true) {
            int c = in.read();
            if (c < 0) return b.size() == 0 ? null : b.toString(UTF_8);
            if (c == '\n') {
                byte[] a = b.toByteArray();
                int n = a.length > 0 && a[a.length - 1] == '\r' ? a.length - 1 : a.length;
                return new String(a, 0, n, UTF_8);
            }
            b.write(c);
        }
    }

    /** One whole response: a line, and for each literal it announces, the literal and the line after it. */
    public String response() throws IOException {
        String l = line();
        if (l == null) return null;
        StringBuilder r = new StringBuilder(l);
        Matcher m = LITERAL.matcher(l);
        while (m.find()) {
            byte[] lit = in.readNBytes(Integer.parseInt(m.group(1)));
            r.append("\r\n").append(new String(lit, UTF_8));
            String rest = line();
            if (rest == null) break;
            r.append(rest);
            m = LITERAL.matcher(rest);
        }
        return r.toString();
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
        SSLSocket s = (SSLSocket) TestTls.clientFactory().createSocket(socket, "127.0.0.1", socket.getPort(), true);
        s.startHandshake();
        attach(s);
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
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;   // reset
        }
    }

    public Socket socket() {
        return socket;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
