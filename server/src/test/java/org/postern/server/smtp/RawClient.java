package org.postern.server.smtp;

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
import javax.net.ssl.SSLSocket;

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

    private Socket socket;
    private InputStream in;
    private OutputStream out;

    RawClient(int port) throws IOException {
        this(new Socket("127.0.0.1", port));
    }

    RawClient(Socket s) throws IOException {
        attach(s);
    }

    private void attach(Socket s) throws IOException {
        socket = s;
        socket.setSoTimeout(10_000);
        in = s.getInputStream();
        out = s.getOutputStream();
    }

    /** Sends the string as is (no CRLF added). */
    RawClient send(String s) throws IOException {
        return send(s.getBytes(UTF_8));
    }

    RawClient send(byte[] b) throws IOException {
        out.write(b);
        out.flush();
        return this;
    }

    /** Sends {@code line} + CRLF. */
    RawClient line(String line) throws IOException {
        return send(line + "\r\n");
    }

    /** One line without its CRLF, or null at end of stream. */
    String readLine() throws IOException {
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
        try {
            socket.setSoTimeout(5_000);
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;   // reset counts as closed
        }
    }

    /** Everything until the server closes; for checking that nothing leaked. */
    String rest() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try {
            in.transferTo(b);
        } catch (IOException e) {
            // reset after close
        }
        return b.toString(UTF_8);
    }

    /** Client side of STARTTLS after the 220 reply. */
    void startTls() throws IOException {
        SSLSocket s = (SSLSocket) TestTls.clientFactory().createSocket(socket, "mx.example.org", socket.getPort(), true);
        s.setUseClientMode(true);
        s.startHandshake();
        attach(s);
    }

    static RawClient tls(int port) throws IOException {
        SSLSocket s = (SSLSocket) TestTls.clientFactory().createSocket("127.0.0.1", port);
        s.startHandshake();
        return new RawClient(s);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
