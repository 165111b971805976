package org.postern.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.wire.smtp.client.TestCertificates;

/** Real TLS over 127.0.0.1 with the files a first start generates, as implicit TLS and as STARTTLS. */
class TlsHandshakeTest {
    private static final String[] PINNED = {"TLSv1.3", "TLSv1.2"};

    @TempDir
    static Path dir;
    static X509Certificate certificate;
    static SSLContext server;

    @BeforeAll
    static void generateAndLoad() {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        certificate = SelfSigned.generate("mail.example.org", cert, key);
        server = TlsFiles.load(cert, key);
    }

    @Test
    void aClientTrustingTheCertificateCompletesAHandshakeForEveryNameInIt() throws Exception {
        SSLContext client = TestCertificates.trusting(certificate);
        try (var listener = (SSLServerSocket) server.getServerSocketFactory()
                .createServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            assertThat(listener.getEnabledProtocols()).containsExactly(PINNED);
            for (String name : new String[] {"mail.example.org", "localhost", "127.0.0.1"}) {
                CompletableFuture<String> served = serveOne(listener);
                try (SSLSocket socket = layered(client, listener.getLocalPort(), name)) {
                    socket.startHandshake();
                    String reply = exchange(socket, "hello from " + name);

                    assertThat(reply).isEqualTo("TLSv1.3 hello from " + name);
                    assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
                    assertThat(socket.getSession().getPeerCertificates()[0]).isEqualTo(certificate);
                }
                assertThat(served.get(10, TimeUnit.SECONDS)).isEqualTo("TLSv1.3");
            }
        }
    }

    @Test
    void aTls12OnlyClientIsServedWithTls12() throws Exception {
        SSLContext client = TestCertificates.trusting(certificate);
        try (var listener = (SSLServerSocket) server.getServerSocketFactory()
                .createServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> served = serveOne(listener);
            try (SSLSocket socket = layered(client, listener.getLocalPort(), "localhost")) {
                socket.setEnabledProtocols(new String[] {"TLSv1.2"});
                assertThat(exchange(socket, "old")).isEqualTo("TLSv1.2 old");
            }
            assertThat(served.get(10, TimeUnit.SECONDS)).isEqualTo("TLSv1.2");
        }
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateRefusesIt() throws Exception {
        SSLContext stranger = TestCertificates.trusting(TestKeys.rsa("other.example").certificate());
        try (var listener = (SSLServerSocket) server.getServerSocketFactory()
                .createServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> served = serveOne(listener);
            try (SSLSocket socket = layered(stranger, listener.getLocalPort(), "localhost")) {
                assertThatThrownBy(socket::startHandshake).isInstanceOf(SSLHandshakeException.class);
            }
            assertThat(served.handle((ok, failure) -> failure)
                    .get(10, TimeUnit.SECONDS)).isNotNull();
        }
    }

    @Test
    void startTlsOverAnAcceptedPlainSocketIsPinnedToo() throws Exception {
        SSLContext client = TestCertificates.trusting(certificate);
        try (var plain = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> served = CompletableFuture.supplyAsync(() -> {
                try (Socket accepted = plain.accept()) {
                    accepted.setSoTimeout(10_000);
                    // STARTTLS: the session has read "STARTTLS" and answered; TLS now starts in server mode.
                    var tls = (SSLSocket) server.getSocketFactory().createSocket(accepted, null, true);
                    assertThat(tls.getUseClientMode()).isFalse();
                    assertThat(tls.getEnabledProtocols()).containsExactly(PINNED);
                    return echo(tls);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            }, Thread.ofVirtual()::start);
            try (SSLSocket socket = layered(client, plain.getLocalPort(), "mail.example.org")) {
                assertThat(exchange(socket, "after starttls")).isEqualTo("TLSv1.3 after starttls");
            }
            assertThat(served.get(10, TimeUnit.SECONDS)).isEqualTo("TLSv1.3");
        }
    }

    @Test
    void everyWayOfMakingAConnectionHasOnlyTls12And13() throws Exception {
        assertThat(server.createSSLEngine().getEnabledProtocols()).containsExactly(PINNED);
        assertThat(server.createSSLEngine("localhost", 25).getEnabledProtocols()).containsExactly(PINNED);
        assertThat(server.getDefaultSSLParameters().getProtocols()).containsExactly(PINNED);
        assertThat(server.getSupportedSSLParameters().getProtocols()).containsExactly(PINNED);
        try (var s = (SSLSocket) server.getSocketFactory().createSocket()) {
            assertThat(s.getEnabledProtocols()).containsExactly(PINNED);
        }
        try (var s = (SSLServerSocket) server.getServerSocketFactory().createServerSocket()) {
            assertThat(s.getEnabledProtocols()).containsExactly(PINNED);
        }
    }

    /** Connects in plain TCP to 127.0.0.1 and layers TLS over it for {@code name}, checking the name (RFC 6125). */
    private static SSLSocket layered(SSLContext client, int port, String name) throws Exception {
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
        plain.setSoTimeout(10_000);
        var socket = (SSLSocket) client.getSocketFactory().createSocket(plain, name, port, true);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(parameters);
        return socket;
    }

    private static CompletableFuture<String> serveOne(SSLServerSocket listener) {
        return CompletableFuture.supplyAsync(() -> {
            try (var socket = (SSLSocket) listener.accept()) {
                socket.setSoTimeout(10_000);
                assertThat(socket.getEnabledProtocols()).containsExactly(PINNED);
                return echo(socket);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        }, Thread.ofVirtual()::start);
    }

    /** Reads one line and answers it prefixed with the protocol; returns the protocol. */
    private static String echo(SSLSocket socket) throws Exception {
        var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
        String line = in.readLine();
        String protocol = socket.getSession().getProtocol();
        OutputStream out = socket.getOutputStream();
        out.write((protocol + " " + line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return protocol;
    }

    private static String exchange(SSLSocket socket, String line) throws Exception {
        OutputStream out = socket.getOutputStream();
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
    }
}
