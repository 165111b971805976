package org.postern.server.net;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ListenerTest {
    /** Greets, then holds the connection until the client closes it. */
    static final class Holder implements ConnectionHandler {
        final CountDownLatch served = new CountDownLatch(1);
        volatile boolean noDelay;

        @Override
        public String name() {
            return "test";
        }

        @Override
        public void serve(Connection c) throws IOException {
            noDelay = c.socket().getTcpNoDelay();
            c.socket().getOutputStream().write(("hello " + c.id() + "\r\n").getBytes(US_ASCII));
            c.socket().getOutputStream().flush();
            served.countDown();
            c.socket().getInputStream().read();   // until the client closes
        }

        @Override
        public String tooBusy() {
            return "busy\r\n";
        }
    }

    private static Listener open(ConnectionLimiter limiter) {
        return open(limiter, new Holder());
    }

    private static Listener open(ConnectionLimiter limiter, Holder holder) {
        return Listener.open(new Listener.Endpoint(new InetSocketAddress("127.0.0.1", 0), "listeners.test", Optional.empty()),
                limiter, holder);
    }

    private static String firstLine(Socket s) throws IOException {
        s.setSoTimeout(1000);
        StringBuilder sb = new StringBuilder();
        for (int c; (c = s.getInputStream().read()) >= 0 && c != '\n'; ) sb.append((char) c);
        return sb.toString().strip();
    }

    @Test
    void portInUseGivesAMessageForPeople() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> Listener.open(new Listener.Endpoint(new InetSocketAddress("127.0.0.1", port),
                    "listeners.smtp", Optional.empty()), new ConnectionLimiter(10, 10), new Holder()))
                    .isInstanceOf(ListenerException.class)
                    .hasMessage("port " + port + " on 127.0.0.1 is already in use by another program: stop it or change listeners.smtp in postern.toml");
        }
    }

    @Test
    void connectionsPerAddressUpToTheCapAreServedAndTheNextGetsTheBusyLine() throws IOException {
        try (Listener l = open(new ConnectionLimiter(10, 2));
             Socket a = new Socket("127.0.0.1", l.port()); Socket b = new Socket("127.0.0.1", l.port())) {
            assertThat(firstLine(a)).startsWith("hello ");
            assertThat(firstLine(b)).startsWith("hello ");
            try (Socket c = new Socket("127.0.0.1", l.port())) {
                assertThat(firstLine(c)).isEqualTo("busy");
                assertThat(c.getInputStream().read()).isEqualTo(-1);
            }
        }
    }

    @Test
    void connectionsUpToTheTotalCapAreServedAndTheNextWaitsForASlot() throws Exception {
        try (Listener l = open(new ConnectionLimiter(2, 10))) {
            Socket a = new Socket("127.0.0.1", l.port());   // closed below, to free its slot
            try (Socket b = new Socket("127.0.0.1", l.port()); Socket c = new Socket("127.0.0.1", l.port())) {
                assertThat(firstLine(a)).startsWith("hello ");
                assertThat(firstLine(b)).startsWith("hello ");
                // the third is in the kernel's backlog: connected, but not accepted and not greeted
                assertThatThrownBy(() -> firstLine(c)).isInstanceOf(SocketTimeoutException.class);
                a.close();
                c.setSoTimeout(5000);
                assertThat(firstLine(c)).startsWith("hello ");
            } finally {
                a.close();
            }
        }
    }

    @Test
    void closeEndsOpenConnections() throws Exception {
        Listener l = open(new ConnectionLimiter(10, 10));
        try (Socket a = new Socket("127.0.0.1", l.port())) {
            assertThat(firstLine(a)).startsWith("hello ");
            l.close();
            a.setSoTimeout(5000);
            assertThat(a.getInputStream().read()).isEqualTo(-1);
            assertThatThrownBy(() -> new Socket("127.0.0.1", l.port())).isInstanceOf(IOException.class);
        }
    }

    @Test
    void sessionsGetSocketsWithoutNagleDelay() throws Exception {
        Holder holder = new Holder();
        try (Listener l = open(new ConnectionLimiter(10, 10), holder); Socket a = new Socket("127.0.0.1", l.port())) {
            assertThat(firstLine(a)).startsWith("hello ");
            assertThat(holder.served.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            // a reply's last segment must not wait for the client's delayed ACK (40 ms on Linux)
            assertThat(holder.noDelay).as("TCP_NODELAY on the accepted socket").isTrue();
        }
    }
}
