package org.postern.wire.smtp.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.postern.wire.smtp.client.FakeSmtpServer.reply;
import static org.postern.wire.smtp.client.SmtpClientTransactionTest.MESSAGE;
import static org.postern.wire.smtp.client.SmtpClientTransactionTest.SETTINGS;
import static org.postern.wire.smtp.client.SmtpClientTransactionTest.SHORT;
import static org.postern.wire.smtp.client.SmtpClientTransactionTest.send;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postern.wire.Secret;
import org.postern.wire.sasl.Credentials;
import org.postern.wire.smtp.EnhancedStatus;
import org.postern.wire.smtp.client.RecipientOutcome.Delivered;

/** Session set-up against {@link FakeSmtpServer}: greeting, EHLO/HELO, STARTTLS policies, AUTH. */
class SmtpClientSessionTest {
    FakeSmtpServer remote;

    @BeforeEach
    void start() throws IOException {
        remote = FakeSmtpServer.start();
    }

    @AfterEach
    void stop() throws IOException {
        remote.close();
    }

    SessionFailure failure(Destination d, ClientSettings settings) {
        SessionFailure f = catchThrowableOfType(SessionFailure.class, () -> SmtpClient.connect(d, settings).close());
        assertThat(f).as("session failure").isNotNull();
        return f;
    }

    Destination mx() {
        return Destination.mx("mx.example.org", remote.address());
    }

    Destination smarthost(String host, SSLContext trust, Optional<Destination.Login> login) {
        return new Destination(host, remote.address(), new TlsPolicy.RequiredVerified(trust), login);
    }

    static Optional<Destination.Login> login(String user, String password, boolean allowWithoutTls) {
        return Optional.of(new Destination.Login(new Credentials(user, Secret.of(password)), allowWithoutTls));
    }

    /** What a greeting does to the whole session. */
    @Test
    void greetingFailuresFailTheSession() throws Exception {
        record Case(FakeSmtpServer.Effect greeting, boolean permanent, String status) {}
        for (Case k : List.of(
                new Case(reply(421, "4.3.2 too busy"), false, "4.3.2"),
                new Case(reply(554, "no SMTP service here"), true, "5.0.0"),
                new Case(FakeSmtpServer.CLOSE, false, "4.4.2"),
                new Case(FakeSmtpServer.STALL, false, "4.4.2"),
                new Case(reply(250, "wrong code"), false, "4.5.0"),
                new Case(new FakeSmtpServer.Raw("SSH-2.0-OpenSSH_9.6\r\n"), false, "4.5.0"))) {
            try (FakeSmtpServer r = FakeSmtpServer.start()) {
                r.greeting(k.greeting());
                SessionFailure f = failure(Destination.mx("mx.example.org", r.address()), SHORT);
                assertThat(f.permanent()).as(k.toString()).isEqualTo(k.permanent());
                assertThat(f.failure().diagnosis().status()).as(k.toString()).isEqualTo(EnhancedStatus.parse(k.status()));
                assertThat(f.failure().remoteHost()).isEqualTo("mx.example.org");
            }
        }
    }

    /** RFC 5321 §4.5.3.2 timeouts are for the whole reply: a byte every 50 ms does not stretch 300 ms. */
    @Test
    void aServerTricklingItsReplyTimesOutLikeASilentOne() {
        remote.greeting(new FakeSmtpServer.Trickle("220 " + "x".repeat(100) + "\r\n", Duration.ofMillis(50)));
        long start = System.nanoTime();
        SessionFailure f = failure(mx(), SHORT);
        assertThat(f.failure().diagnosis().text()).contains("no reply to the connection (greeting) within PT0.3S");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void aHostThatRefusesTheConnectionIsATemporaryFailure() throws IOException {
        InetSocketAddress closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = new InetSocketAddress("127.0.0.1", s.getLocalPort());
        }
        SessionFailure f = failure(Destination.mx("mx.example.org", closedPort), SETTINGS);
        assertThat(f.permanent()).isFalse();
        assertThat(f.failure().diagnosis().status()).isEqualTo(EnhancedStatus.parse("4.4.1"));
    }

    @Test
    void ehloRefusedFallsBackToHeloAndUsesNoExtension() throws Exception {
        remote.ehlo(reply(502, "5.5.1 command not implemented"));
        remote.ehloKeywords("SIZE 10");   // not seen: the client never gets the EHLO reply
        try (SmtpClient c = SmtpClient.connect(mx(), SETTINGS)) {
            assertThat(c.capabilities()).isEqualTo(Capabilities.NONE);
            assertThat(c.send(SmtpClientTransactionTest.envelope("b@example.org"), TestMessage.eightBit("8\u00e9\r\n", "8=C3=A9\r\n"))
                    .getFirst().outcome()).isInstanceOf(Delivered.class);
        }
        assertThat(remote.commands().subList(0, 2)).containsExactly("EHLO client.example", "HELO client.example");
        FakeSmtpServer.Transaction t = remote.takeTransaction(Duration.ofSeconds(5)).orElseThrow();
        assertThat(t.mail()).isEqualTo("MAIL FROM:<a@example.net>");
        assertThat(t.bodyText()).isEqualTo("8=C3=A9\r\n");
    }

    @Test
    void ehloAndHeloBothRefusedIsPermanent_butA421ToEhloIsTemporary() throws Exception {
        remote.ehlo(reply(500, "5.5.1 what?"));
        remote.helo(reply(550, "5.7.1 not you"));
        SessionFailure f = failure(mx(), SETTINGS);
        assertThat(f.permanent()).isTrue();
        assertThat(f.failure().diagnosis().text()).isEqualTo("550 5.7.1 not you");

        try (FakeSmtpServer r = FakeSmtpServer.start()) {
            r.ehlo(reply(421, "4.3.2 going down"));
            SessionFailure t = failure(Destination.mx("mx.example.org", r.address()), SETTINGS);
            assertThat(t.permanent()).isFalse();
            assertThat(r.verbs()).containsExactly("EHLO");
        }
    }

    @Test
    void ehloKeywordsAreParsed() {
        remote.ehloKeywords("pipelining", "SIZE 35882577", "8BITMIME", "SMTPUTF8", "DSN", "ENHANCEDSTATUSCODES",
                "CHUNKING", "AUTH=LOGIN", "AUTH PLAIN CRAM-MD5", "X-UNKNOWN whatever");
        try (SmtpClient c = SmtpClient.connect(mx(), SETTINGS)) {
            assertThat(c.capabilities()).isEqualTo(new Capabilities(true, true, true, java.util.OptionalLong.of(35882577),
                    true, true, false, true, true, true, java.util.Set.of("LOGIN", "PLAIN", "CRAM-MD5")));
            assertThat(c.greeting().toString()).isEqualTo("220 fake.example ESMTP ready");
        }
    }

    @Test
    void opportunisticStartTlsAcceptsASelfSignedCertificateAndForgetsThePlaintextEhlo() throws Exception {
        remote.tls(TestCertificates.server());
        remote.ehloKeywords("PIPELINING");
        try (SmtpClient c = SmtpClient.connect(mx(), SETTINGS)) {
            assertThat(c.tlsActive()).isTrue();
            assertThat(c.capabilities().startTls()).isFalse();   // from the EHLO after TLS
            assertThat(send(c, MESSAGE, "b@example.org").getFirst().outcome()).isInstanceOf(Delivered.class);
        }
        assertThat(remote.verbs()).startsWith("EHLO", "STARTTLS", "EHLO", "MAIL");
        assertThat(remote.takeTransaction(Duration.ofSeconds(5)).orElseThrow().tls()).isTrue();
    }

    @Test
    void opportunisticTlsThatFailsRetriesInPlaintextOnANewConnection() throws Exception {
        remote.tls(TestCertificates.server());
        // The server says 220 but then does not speak TLS: the client's handshake fails.
        remote.startTls(new FakeSmtpServer.Raw("220 2.0.0 go ahead\r\n"));
        try (SmtpClient c = SmtpClient.connect(mx(), SHORT)) {
            assertThat(c.tlsActive()).isFalse();
            assertThat(send(c, MESSAGE, "b@example.org").getFirst().outcome()).isInstanceOf(Delivered.class);
        }
        assertThat(remote.connectionCount()).isEqualTo(2);
        assertThat(remote.takeTransaction(Duration.ofSeconds(5)).orElseThrow().tls()).isFalse();
    }

    @Test
    void opportunisticTlsRefusedContinuesInPlaintext() throws Exception {
        remote.tls(TestCertificates.server());
        remote.startTls(reply(454, "4.7.0 TLS not available"));
        try (SmtpClient c = SmtpClient.connect(mx(), SETTINGS)) {
            assertThat(c.tlsActive()).isFalse();
            assertThat(send(c, MESSAGE, "b@example.org").getFirst().outcome()).isInstanceOf(Delivered.class);
        }
        assertThat(remote.connectionCount()).isEqualTo(1);
    }

    @Test
    void plaintextInjectedBehindTheStartTlsReplyEndsTheSession() {
        remote.tls(TestCertificates.server());
        remote.startTls(new FakeSmtpServer.Raw("220 2.0.0 go ahead\r\n250 injected\r\n"));
        SessionFailure f = failure(mx(), SETTINGS);
        assertThat(f.failure().diagnosis().text()).contains("after the reply to STARTTLS");
    }

    @Test
    void requiredVerifiedTlsAcceptsATrustedCertificateForTheHost() throws Exception {
        remote.tls(TestCertificates.server());
        try (SmtpClient c = SmtpClient.connect(smarthost("localhost", TestCertificates.trustingServer(), Optional.empty()), SETTINGS)) {
            assertThat(c.tlsActive()).isTrue();
        }
    }

    /** A smarthost whose TLS is not what it must be: never a plaintext fallback, always temporary. */
    @Test
    void requiredVerifiedTlsFailsWithoutAVerifiedCertificate() throws Exception {
        record Case(String name, String host, SSLContext trust, boolean offerTls, String status) {}
        for (Case k : List.of(
                new Case("untrusted certificate", "localhost", TestCertificates.trustingOther(), true, "4.7.5"),
                new Case("certificate for another name", "smtp.elsewhere.example", TestCertificates.trustingServer(), true, "4.7.5"),
                new Case("no STARTTLS offered", "localhost", TestCertificates.trustingServer(), false, "4.7.4"))) {
            try (FakeSmtpServer r = FakeSmtpServer.start()) {
                if (k.offerTls()) r.tls(TestCertificates.server());
                r.login("u", "p");
                SessionFailure f = failure(new Destination(k.host(), r.address(), new TlsPolicy.RequiredVerified(k.trust()),
                        login("u", "p", false)), SETTINGS);
                assertThat(f.permanent()).as(k.name()).isFalse();
                assertThat(f.failure().diagnosis().status()).as(k.name()).isEqualTo(EnhancedStatus.parse(k.status()));
                assertThat(r.connectionCount()).as(k.name()).isEqualTo(1);
                assertThat(r.verbs()).as(k.name()).doesNotContain("AUTH", "MAIL");
            }
        }
    }

    @Test
    void authPlainToASmarthostOverVerifiedTls() throws Exception {
        remote.tls(TestCertificates.server());
        remote.login("relay-user", "s3cret");
        try (SmtpClient c = SmtpClient.connect(smarthost("localhost", TestCertificates.trustingServer(),
                login("relay-user", "s3cret", false)), SETTINGS)) {
            assertThat(c.authenticated()).isTrue();
            assertThat(send(c, MESSAGE, "b@example.org").getFirst().outcome()).isInstanceOf(Delivered.class);
        }
        String plain = Base64.getEncoder().encodeToString("\0relay-user\0s3cret".getBytes());
        assertThat(remote.commands()).contains("AUTH PLAIN " + plain);
        assertThat(remote.verbs()).startsWith("EHLO", "STARTTLS", "EHLO", "AUTH", "MAIL");
    }

    @Test
    void authLoginWhenPlainIsNotOffered() {
        remote.tls(TestCertificates.server());
        remote.login("relay-user", "s3cret");
        remote.authMechanisms("LOGIN");
        try (SmtpClient c = SmtpClient.connect(smarthost("localhost", TestCertificates.trustingServer(),
                login("relay-user", "s3cret", false)), SETTINGS)) {
            assertThat(c.authenticated()).isTrue();
        }
        assertThat(remote.commands()).contains("AUTH LOGIN",
                Base64.getEncoder().encodeToString("relay-user".getBytes()), Base64.getEncoder().encodeToString("s3cret".getBytes()));
    }

    @Test
    void aRefusedLoginIsTemporaryAndDoesNotShowThePassword() {
        remote.tls(TestCertificates.server());
        remote.login("relay-user", "right");
        SessionFailure f = failure(smarthost("localhost", TestCertificates.trustingServer(), login("relay-user", "wrong", false)), SETTINGS);
        assertThat(f.permanent()).isFalse();
        assertThat(f.failure().diagnosis().status()).isEqualTo(EnhancedStatus.parse("4.7.8"));
        assertThat(f.failure().diagnosis().text()).contains("535 5.7.8").doesNotContain("wrong");
        assertThat(remote.verbs()).doesNotContain("MAIL");
    }

    @Test
    void noPasswordWithoutTlsUnlessExplicitlyAllowed() {
        remote.login("u", "p");
        Destination plain = new Destination("relay.example", remote.address(), TlsPolicy.OPPORTUNISTIC, login("u", "p", false));
        SessionFailure f = failure(plain, SETTINGS);
        assertThat(f.failure().diagnosis().text()).contains("without TLS");
        assertThat(remote.verbs()).doesNotContain("AUTH");

        Destination allowed = new Destination("relay.example", remote.address(), TlsPolicy.OPPORTUNISTIC, login("u", "p", true));
        try (SmtpClient c = SmtpClient.connect(allowed, SETTINGS)) {
            assertThat(c.authenticated()).isTrue();
            assertThat(c.tlsActive()).isFalse();
        }
    }

    @Test
    void closeSendsQuitAndTakesTheServersGoodbye() {
        try (SmtpClient c = SmtpClient.connect(mx(), SETTINGS)) {
            assertThat(c.reusable()).isTrue();
        }
        assertThat(remote.verbs()).containsExactly("EHLO", "QUIT");
    }
}
