package org.postern.client.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.wire.smtp.client.TestCertificates;

/**
 * A PEM file adds trust anchors for a self-signed server: the handshake succeeds with it and fails without it, the
 * host name is still checked, the JDK's authorities stay trusted, and a file that cannot be used is refused in a
 * sentence naming it.
 */
class TrustedCertificatesTest {
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    static String pem(X509Certificate... certs) throws Exception {
        StringBuilder b = new StringBuilder();
        for (X509Certificate c : certs) {
            b.append("-----BEGIN CERTIFICATE-----\n")
                    .append(Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(c.getEncoded()))
                    .append("\n-----END CERTIFICATE-----\n");
        }
        return b.toString();
    }

    Path serverPem() throws Exception {
        return Files.writeString(dir.resolve("server.pem"), pem(TestCertificates.serverCertificate()));
    }

    /** A TLS server with TestCertificates' self-signed certificate (localhost, mx.example.org, 127.0.0.1) that greets. */
    static SSLServerSocket server(String address) throws IOException {
        SSLServerSocket ss = (SSLServerSocket) TestCertificates.server().getServerSocketFactory()
                .createServerSocket(0, 5, InetAddress.getByName(address));
        Thread.ofVirtual().start(() -> {
            while (!ss.isClosed()) {
                try (SSLSocket s = (SSLSocket) ss.accept(); OutputStream out = s.getOutputStream()) {
                    s.startHandshake();
                    out.write("* OK hello\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    s.getInputStream().read();   // until the client goes
                } catch (IOException e) {
                    // a refused handshake: the client's side is what the test checks
                }
            }
        });
        return ss;
    }

    static Endpoint endpoint(String host, int port, Optional<javax.net.ssl.SSLContext> trust) {
        return new Endpoint(host, port, Endpoint.Security.IMPLICIT_TLS, trust);
    }

    @Test
    void theFilesCertificateIsTrustedAndWithoutItTheSameServerIsRefused() throws Exception {
        Path pem = serverPem();
        try (SSLServerSocket ss = server("127.0.0.1")) {
            int port = ss.getLocalPort();
            try (Connection c = Connection.open(endpoint("127.0.0.1", port, Optional.of(TrustedCertificates.load(pem))), TIMEOUT)) {
                assertThat(new String(c.in().readLine(100), StandardCharsets.US_ASCII)).startsWith("* OK hello");
            }
            try (Connection c = Connection.open(endpoint("localhost", port, Optional.of(TrustedCertificates.load(pem))), TIMEOUT)) {
                assertThat(new String(c.in().readLine(100), StandardCharsets.US_ASCII)).startsWith("* OK hello");
            }
            assertThatThrownBy(() -> Connection.open(endpoint("127.0.0.1", port, Optional.empty()), TIMEOUT))
                    .hasMessageContaining("certificate is not trusted").hasMessageContaining("certificate_file");
        }
    }

    @Test
    void theHostNameIsStillChecked() throws Exception {
        Path pem = serverPem();
        // 127.0.0.2 is loopback on Linux, but the certificate names 127.0.0.1, localhost and mx.example.org only
        try (SSLServerSocket ss = server("127.0.0.2")) {
            assertThatThrownBy(() -> Connection.open(endpoint("127.0.0.2", ss.getLocalPort(),
                    Optional.of(TrustedCertificates.load(pem))), TIMEOUT))
                    .hasMessageContaining("does not name this host");
        }
    }

    @Test
    void theJdksAuthoritiesStayTrustedBesideTheFile() throws Exception {
        X509Certificate mine = TestCertificates.serverCertificate();
        List<X509Certificate> jdk = TrustedCertificates.jdkAuthorities();
        List<X509Certificate> anchors = List.of(TrustedCertificates.trustManager(serverPem()).getAcceptedIssuers());
        assertThat(jdk).isNotEmpty();
        assertThat(anchors).hasSize(jdk.size() + 1).contains(mine).containsAll(jdk);
    }

    @Test
    void aBundleOfSeveralCertificatesIsRead() throws Exception {
        X509Certificate mine = TestCertificates.serverCertificate();
        X509Certificate other = TrustedCertificates.jdkAuthorities().getFirst();
        Path bundle = Files.writeString(dir.resolve("bundle.pem"), "my server\n" + pem(mine, other));
        assertThat(TrustedCertificates.read(bundle)).containsExactly(mine, other);
        assertThat(TrustedCertificates.subjects(bundle)).first().isEqualTo("CN=mx.example.org");
    }

    /** Each unusable file gives its own sentence, naming the file. */
    @Test
    void unusableFilesAreRefusedInASentence() throws Exception {
        record Case(String name, byte[] content, String problem) {}
        String notPem = "holds no certificate; it must hold one or more \"-----BEGIN CERTIFICATE-----\" blocks (PEM)";
        for (Case c : List.of(
                new Case("empty.pem", new byte[0], notPem),
                new Case("text.pem", "hello\n".getBytes(StandardCharsets.US_ASCII), notPem),
                new Case("broken.pem", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
                        .getBytes(StandardCharsets.US_ASCII), notPem),
                new Case("big.pem", new byte[(int) TrustedCertificates.MAX_BYTES + 1],
                        "is " + (TrustedCertificates.MAX_BYTES + 1) + " bytes, more than a certificate file holds"))) {
            Path f = Files.write(dir.resolve(c.name()), c.content());
            assertThatThrownBy(() -> TrustedCertificates.load(f)).as(c.name()).isInstanceOf(IOException.class)
                    .hasMessageStartingWith("certificate file " + f + " ").hasMessageContaining(c.problem());
        }
        Path missing = dir.resolve("missing.pem");
        assertThatThrownBy(() -> TrustedCertificates.load(missing))
                .hasMessage("certificate file " + missing + " does not exist; copy the server's certificate (PEM) "
                        + "there, for a Postern server its data/tls/cert.pem");
    }

    @Test
    void aFileOfExactlyTheLimitIsRead() throws Exception {
        String cert = pem(TestCertificates.serverCertificate());
        // explanatory text before the block is allowed in PEM (RFC 7468 §2); it pads the file to the limit
        StringBuilder b = new StringBuilder();
        int pad = (int) TrustedCertificates.MAX_BYTES - cert.length();
        while (b.length() < pad) b.append("x".repeat(Math.min(79, pad - b.length() - 1))).append('\n');
        Path f = Files.writeString(dir.resolve("limit.pem"), b + cert);
        assertThat(Files.size(f)).isEqualTo(TrustedCertificates.MAX_BYTES);
        assertThat(TrustedCertificates.read(f)).containsExactly(TestCertificates.serverCertificate());
    }
}
