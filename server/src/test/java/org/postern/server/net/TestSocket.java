package org.postern.server.net;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import javax.net.ssl.SSLSocket;
import org.postern.server.smtp.TestTls;

/**
 * The socket side of the raw-protocol test clients (SMTP, POP3, IMAP): sends exactly what it is given, reads
 * lines and bytes as they come, upgrades to TLS in place. The clients add their protocol's framing on top.
 */
public final class TestSocket implements AutoCloseable {
    /** How long a read waits before the test fails instead of hanging. */
    static final int READ_TIMEOUT_MILLIS = 10_000;

    private Socket socket;
    private InputStream in;
    private OutputStream out;

    public TestSocket(Socket s) throws IOException {
        attach(s);
    }

    /** A plaintext connection to 127.0.0.1. */
    public static TestSocket connect(int port) throws IOException {
        return new TestSocket(new Socket("127.0.0.1", port));
    }

    /** A connection to an implicit-TLS port, handshake done. */
    public static TestSocket tls(int port) throws IOException {
        SSLSocket s = (SSLSocket) TestTls.clientFactory().createSocket("127.0.0.1", port);
        s.startHandshake();
        return new TestSocket(s);
    }

    private void attach(Socket s) throws IOException {
        socket = s;
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        in = s.getInputStream();
        out = s.getOutputStream();
    }

    public void send(byte[] b) throws IOException {
        out.write(b);
        out.flush();
    }

    public void send(String s) throws IOException {
        send(s.getBytes(UTF_8));
    }

    /** One line without its CRLF (a bare LF ends one too), or null at end of stream. */
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

    public int read() throws IOException {
        return in.read();
    }

    public byte[] readNBytes(int n) throws IOException {
        return in.readNBytes(n);
    }

    /** Everything until the server closes; for checking that nothing leaked. */
    public String rest() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try {
            in.transferTo(b);
        } catch (IOException e) {
            // reset after close
        }
        return b.toString(UTF_8);
    }

    /** The client side of STARTTLS/STLS, after the server's go-ahead; {@code host} is the name the client checks. */
    public void startTls(String host) throws IOException {
        SSLSocket s = (SSLSocket) TestTls.clientFactory().createSocket(socket, host, socket.getPort(), true);
        s.setUseClientMode(true);
        s.startHandshake();
        attach(s);
    }

    /** True when the server closed the connection (end of stream, or a reset) within the socket's timeout. */
    public boolean closed() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;   // a reset counts as closed
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
