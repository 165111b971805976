package org.postern.server.pop3;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.postern.server.net.TestSocket;

/** A raw-socket POP3 client for conversation tests: sends exactly what it is given, reads lines as they come. */
public final class Pop3Client implements AutoCloseable {
    private final TestSocket conn;

    public Pop3Client(int port) throws IOException {
        this(TestSocket.connect(port));
    }

    private Pop3Client(TestSocket conn) {
        this.conn = conn;
    }

    /** Connects to an implicit-TLS port (995). */
    public static Pop3Client tls(int port) throws IOException {
        return new Pop3Client(TestSocket.tls(port));
    }

    public Pop3Client send(String s) throws IOException {
        conn.send(s);
        return this;
    }

    /** One line without CRLF, or null at end of stream. */
    public String line() throws IOException {
        return conn.line();
    }

    /** Sends {@code command} + CRLF and returns the one-line reply. */
    public String command(String command) throws IOException {
        send(command + "\r\n");
        String l = line();
        if (l == null) throw new IOException("connection closed after " + command);
        return l;
    }

    /** Sends a command and checks the reply starts with {@code prefix} ("+OK" or "-ERR"). */
    public String expect(String command, String prefix) throws IOException {
        String r = command(command);
        assertThat(r).as(command).startsWith(prefix);
        return r;
    }

    /** The lines of a multi-line body up to the terminating ".", still dot-stuffed, without CRLFs. */
    public List<String> body() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String l = line();
            if (l == null) throw new IOException("connection closed inside a multi-line reply: " + lines);
            if (l.equals(".")) return lines;
            lines.add(l);
        }
    }

    /**
     * The raw bytes of a multi-line body up to and including the terminating ".CRLF" (dot-stuffing and line
     * ends exactly as sent).
     */
    public byte[] rawBody() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int state = 2;   // 0 = in a line, 1 = saw CR, 2 = at line start, 3 = line start then '.', 4 = ".\r"
        while (true) {
            int c = conn.read();
            if (c < 0) throw new IOException("connection closed inside a multi-line reply");
            b.write(c);
            state = switch (state) {
                case 2 -> c == '.' ? 3 : c == '\r' ? 1 : 0;
                case 3 -> c == '\r' ? 4 : c == '\n' ? 2 : 0;
                case 4 -> {
                    if (c == '\n') yield -1;
                    yield 0;
                }
                case 1 -> c == '\n' ? 2 : c == '\r' ? 1 : 0;
                default -> c == '\r' ? 1 : c == '\n' ? 2 : 0;
            };
            if (state == -1) return b.toByteArray();
        }
    }

    /** The server's greeting, checked. */
    public Pop3Client greeting() throws IOException {
        assertThat(line()).startsWith("+OK");
        return this;
    }

    /** STLS and the TLS handshake. */
    public Pop3Client stls() throws IOException {
        expect("STLS", "+OK");
        conn.startTls("127.0.0.1");
        return this;
    }

    /** Greeting, STLS, USER and PASS. */
    public Pop3Client login(String user, String password) throws IOException {
        greeting().stls();
        expect("USER " + user, "+OK");
        expect("PASS " + password, "+OK");
        return this;
    }

    /** True when the server closed the connection (end of stream within 5 s). */
    public boolean closed() throws IOException {
        conn.socket().setSoTimeout(5_000);
        return conn.closed();
    }

    @Override
    public void close() throws IOException {
        conn.close();
    }
}
