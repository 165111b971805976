package org.postern.client.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.postern.client.net.Endpoint;
import org.postern.wire.smtp.client.TestCertificates;

/**
 * A server that plays one scripted conversation per connection on 127.0.0.1 port 0, for the protocol situations a
 * real Postern never produces (no LITERAL+, data injected behind a STARTTLS answer, a body before its UID, a
 * stall). The script runs on its own thread; {@link #failure()} holds what went wrong in it (a line the client
 * sent that did not match), so a test can assert on both sides. TLS uses wire's {@link TestCertificates}; the
 * {@link #endpoint} trusts it.
 */
public final class ScriptedServer implements AutoCloseable {
    /** One connection's conversation. */
    @FunctionalInterface
    public interface Script {
        void run(Conversation c) throws Exception;
    }

    private final ServerSocket socket;
    private final Thread thread;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private volatile Throwable failure;

    private ScriptedServer(Script script) throws IOException {
        socket = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"));
        thread = Thread.ofVirtual().name("scripted-server").start(() -> {
            try (Socket s = socket.accept()) {
                script.run(new Conversation(s));
            } catch (Throwable t) {
                if (!socket.isClosed()) failure = t;
            }
        });
    }

    public static ScriptedServer start(Script script) throws IOException {
        return new ScriptedServer(script);
    }

    public Endpoint endpoint(Endpoint.Security security) {
        return new Endpoint("127.0.0.1", socket.getLocalPort(), security, Optional.of(TestCertificates.trustingServer()));
    }

    /** Lines the client sent, in order. */
    public List<String> received() {
        return List.copyOf(received);
    }

    /** Waits for the script to end (the client closed, or the script returned) and gives what failed in it. */
    public Optional<Throwable> failure() throws InterruptedException {
        thread.join(30_000);
        return Optional.ofNullable(failure);
    }

    @Override
    public void close() throws IOException {
        socket.close();
        thread.interrupt();
    }

    /** The server's side of one connection. */
    public final class Conversation {
        private Socket s;
        private InputStream in;
        private OutputStream out;

        Conversation(Socket s) throws IOException {
            attach(s);
        }

        private void attach(Socket s) throws IOException {
            this.s = s;
            in = new BufferedInputStream(s.getInputStream());
            out = s.getOutputStream();
        }

        /** Sends text as it is (CRLFs included), in one write. */
        public Conversation send(String text) throws IOException {
            out.write(text.getBytes(UTF_8));
            out.flush();
            return this;
        }

        /** Reads a line (without CRLF); fails unless it matches {@code regex}. */
        public String expect(String regex) throws IOException {
            String line = line();
            if (!line.matches(regex)) throw new AssertionError("client sent '" + line + "', expected /" + regex + "/");
            return line;
        }

        public String line() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (int c; (c = in.read()) != '\n'; ) {
                if (c < 0) throw new java.io.EOFException("client closed");
                b.write(c);
            }
            String line = b.toString(UTF_8);
            if (line.endsWith("\r")) line = line.substring(0, line.length() - 1);
            received.add(line);
            return line;
        }

        public byte[] bytes(int n) throws IOException {
            byte[] b = in.readNBytes(n);
            received.add(new String(b, UTF_8));
            return b;
        }

        /** The server side of a TLS handshake, with wire's test certificate. */
        public void startTls() throws IOException {
            SSLContext ctx = TestCertificates.server();
            SSLSocket ssl = (SSLSocket) ctx.getSocketFactory().createSocket(s, null, s.getPort(), true);
            ssl.setUseClientMode(false);
            ssl.startHandshake();
            attach(ssl);
        }

        /** Waits until the client closes (reads to the end, discarding). */
        public void awaitClose() throws IOException {
            try {
                while (in.read() >= 0) { /* discard */ }
            } catch (IOException e) {
                // a reset is a close too
            }
        }

        public void close() throws IOException {
            s.close();
        }
    }
}
