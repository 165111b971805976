package org.postern.wire.smtp.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.postern.wire.smtp.EnhancedStatus;

/**
 * {@link TlsPolicy.ImplicitVerified} (RFC 8314 §3.3, port 465): the handshake comes first, and a server that does not
 * speak TLS there is a temporary failure, never a plaintext session. (The successful case runs against Postern's
 * submissions port in the client module's SubmitterTest.)
 */
class SmtpClientImplicitTlsTest {
    private static final ClientSettings SETTINGS = new ClientSettings("client.example.org", ClientSettings.Timeouts.all(Duration.ofSeconds(5)));

    @Test
    void aServerThatGreetsInPlaintextWhereTlsIsDueFailsTheSessionBeforeAnyCommand() throws Exception {
        try (FakeSmtpServer plain = FakeSmtpServer.start()) {
            plain.login("u", "p");
            Destination d = new Destination("localhost", plain.address(), new TlsPolicy.ImplicitVerified(TestCertificates.trustingServer()),
                    Optional.of(new Destination.Login(new org.postern.wire.sasl.Credentials("u", org.postern.wire.Secret.of("p")), false)));
            SessionFailure f = catchThrowableOfType(SessionFailure.class, () -> SmtpClient.connect(d, SETTINGS).close());
            assertThat(f).isNotNull();
            assertThat(f.permanent()).isFalse();
            assertThat(f.failure().diagnosis().status()).isEqualTo(EnhancedStatus.parse("4.7.5"));
            assertThat(f.getMessage()).contains("TLS handshake with localhost failed");
            assertThat(plain.verbs()).as("no SMTP command in plaintext (the fake may log the ClientHello as garbage)")
                    .doesNotContain("EHLO", "HELO", "AUTH", "MAIL");
        }
    }
}
