package org.postern.server.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.postern.server.net.TestSocket;

/** A raw-socket SMTP client for conversation tests: sends exactly what it is given, reads replies line by line. */
final class RawClient implements AutoCloseable {
    /** One reply: all its lines, e.g. ["250-mx.example.org", "250 CHUNKING"]. */
    record Reply(List<String> lines) {
        int code() {
            return Integer.parseInt(last().substring(0, 3));
        }

        String last() {
            return lines.getLast();
        }

        String text() {
            return String.join("\n", lines);
        }

        @Override
        public String toString() {
            return text();
        }
    }

    private final TestSocket conn;

    RawClient(int port) throws IOException {
        this(TestSocket.connect(port));
    }

    RawClient(Socket s) throws IOException {
        this(new TestSocket(s));
    }

    private RawClient(TestSocket conn) {
        this.conn = conn;
    }

    /** Sends the string as is (no CRLF added). */
    RawClient send(String s) throws IOException {
        conn.send(s);
        return this;
    }

    RawClient send(byte[] b) throws IOException {
        conn.send(b);
        return this;
    }

    /** Sends {@code line} + CRLF. */
    RawClient line(String line) throws IOException {
        return send(line + "\r\n");
    }

    /** One line without its CRLF, or null at end of stream. */
    String readLine() throws IOException {
        return conn.line();
    }

    Reply reply() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String l = readLine();
            if (l == null) throw new IOException("connection closed; got " + lines);
            lines.add(l);
            if (l.length() < 4 || l.charAt(3) != '-') return new Reply(lines);
        }
    }

    /** Sends a command and returns its reply. */
    Reply command(String line) throws IOException {
        line(line);
        return reply();
    }

    /** Sends a command and checks that the reply's last line starts with {@code prefix}. */
    Reply expect(String line, String prefix) throws IOException {
        Reply r = command(line);
        assertThat(r.last()).as(line).startsWith(prefix);
        return r;
    }

    Reply greeting() throws IOException {
        Reply r = reply();
        assertThat(r.last()).startsWith("220 ");
        return r;
    }

    /** Greeting and EHLO. */
    RawClient hello() throws IOException {
        greeting();
        expect("EHLO client.example", "250 ");
        return this;
    }

    /** True when the server has closed the connection (reads end of stream within the timeout). */
    boolean closed() throws IOException {
        conn.socket().setSoTimeout(5_000);
        return conn.closed();
    }

    /** Everything until the server closes; for checking that nothing leaked. */
    String rest() throws IOException {
        return conn.rest();
    }

    /** Client side of STARTTLS after the 220 reply. */
    void startTls() throws IOException {
        conn.startTls("mx.example.org");
    }

    static RawClient tls(int port) throws IOException {
        return new RawClient(TestSocket.tls(port));
    }

    @Override
    public void close() throws IOException {
        conn.close();
    }
}
